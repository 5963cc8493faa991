using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>
/// SUBSCRIBE and UNSUBSCRIBE (RFC 9051 §6.3.7–8). The store has no place for subscriptions yet, so every mailbox
/// stays subscribed; both commands succeed for existing mailboxes and say so.
/// </summary>
public static class SubscribeCommand
{
    public static async Task HandleAsync(ImapSession session, string tag, string wireName, CancellationToken cancellationToken)
    {
        if (session.MailboxName(tag, wireName) is not { } name || await session.FindMailboxAsync(tag, name, cancellationToken) is null)
            return;
        await session.OkAsync(tag, "Done; every mailbox is subscribed on this server");
    }
}
