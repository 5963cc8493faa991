using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>MYRIGHTS (RFC 4314 §3.5): the user's rights on any mailbox it holds a right on.</summary>
public static class MyRightsCommand
{
    public static async Task HandleAsync(ImapSession session, MyRights command, CancellationToken cancellationToken)
    {
        if (session.MailboxName(command.Tag, command.Mailbox) is not { } name || await session.FindMailboxAsync(command.Tag, name, cancellationToken) is not { } mailbox)
            return;
        session.Write(new ImapUntaggedDataResponse("MYRIGHTS", [ImapValue.NString(session.WireName(mailbox.Path)), MailboxAcl.RightsValue(mailbox.Rights)]));
        await session.OkAsync(command.Tag, "MYRIGHTS completed");
    }
}
