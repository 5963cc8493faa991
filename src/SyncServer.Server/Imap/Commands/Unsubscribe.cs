using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>UNSUBSCRIBE (RFC 9051 §6.3.8): any subscribed name, whether or not its mailbox still exists.</summary>
public static class UnsubscribeCommand
{
    public static async Task HandleAsync(ImapSession session, Unsubscribe command, CancellationToken cancellationToken)
    {
        if (session.MailboxName(command.Tag, command.Mailbox) is not { } name)
            return;
        if (!await session.Services.MailboxSettings.SetSubscribedAsync(session.AccountId, name, subscribed: false, cancellationToken))
        {
            session.No(command.Tag, "Not subscribed", ImapResponseCode.NonExistent);
            return;
        }
        await session.OkAsync(command.Tag, "UNSUBSCRIBE completed");
    }
}
