using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>
/// SUBSCRIBE (RFC 9051 §6.3.7): the name goes into the account's stored subscriptions. Only a mailbox the user
/// can see may be subscribed; the subscription outlives the mailbox (it is never removed behind the client's back).
/// </summary>
public static class SubscribeCommand
{
    public static async Task HandleAsync(ImapSession session, Subscribe command, CancellationToken cancellationToken)
    {
        if (session.MailboxName(command.Tag, command.Mailbox) is not { } name || await session.FindMailboxAsync(command.Tag, name, cancellationToken) is not { } mailbox)
            return;
        await session.Services.MailboxSettings.SetSubscribedAsync(session.AccountId, mailbox.Path, subscribed: true, cancellationToken);
        await session.OkAsync(command.Tag, "SUBSCRIBE completed");
    }

    /// <summary>The account's subscribed names (decoded).</summary>
    public static async Task<HashSet<string>> ListAsync(ImapSession session, CancellationToken cancellationToken) =>
        new(await session.Services.MailboxSettings.ListSubscriptionsAsync(session.AccountId, cancellationToken), StringComparer.Ordinal);
}
