using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>GETQUOTA (RFC 9208 §4.2): a root the user can see, else NO [NONEXISTENT].</summary>
public static class GetQuotaCommand
{
    public static async Task HandleAsync(ImapSession session, GetQuota command, CancellationToken cancellationToken)
    {
        if (ImapMailboxName.Decode(command.QuotaRoot, session.Utf8) is not { } root
            || await MailboxQuota.FindRootAsync(session, root, cancellationToken) is not { } account)
        {
            session.No(command.Tag, "No such quota root", ImapResponseCode.NonExistent);
            return;
        }
        session.Write(MailboxQuota.Response(session, root, account));
        await session.OkAsync(command.Tag, "GETQUOTA completed");
    }
}
