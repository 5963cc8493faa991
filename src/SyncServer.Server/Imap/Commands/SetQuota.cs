using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>SETQUOTA (RFC 9208 §4.1): quotas are the administrator's (CLI, admin API), never a mail user's.</summary>
public static class SetQuotaCommand
{
    public static Task HandleAsync(ImapSession session, SetQuota command)
    {
        session.No(command.Tag, "Only an administrator changes quotas", ImapResponseCode.NoPerm);
        return Task.CompletedTask;
    }
}
