using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>GETQUOTAROOT (RFC 9208 §4.3): the mailbox's one root (its owner's) and that root's QUOTA.</summary>
public static class GetQuotaRootCommand
{
    public static async Task HandleAsync(ImapSession session, GetQuotaRoot command, CancellationToken cancellationToken)
    {
        if (session.MailboxName(command.Tag, command.Mailbox) is not { } name || await session.FindMailboxAsync(command.Tag, name, cancellationToken) is not { } mailbox)
            return;
        var root = MailboxQuota.RootOf(session, mailbox);
        var account = await session.Services.Directory.GetAccountAsync(mailbox.Owner, cancellationToken)
            ?? throw new InvalidOperationException($"account {mailbox.Owner} of a listed mailbox is gone");
        session.Write(new ImapUntaggedDataResponse("QUOTAROOT", [ImapValue.NString(session.WireName(mailbox.Path)), ImapValue.NString(session.WireName(root))]));
        session.Write(MailboxQuota.Response(session, root, account));
        await session.OkAsync(command.Tag, "GETQUOTAROOT completed");
    }
}
