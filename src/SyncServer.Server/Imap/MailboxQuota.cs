using SyncServer.Core.Model;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap;

/// <summary>
/// QUOTA (RFC 9208) over the account quota: one quota root per account with the STORAGE resource in units of
/// 1024 octets (usage rounded up). The user's own root is ""; a shared mailbox's is its owner's level in the other
/// users' namespace, e.g. <c>Shared/info@example.org</c>.
/// </summary>
public static class MailboxQuota
{
    private const long Unit = 1024;

    /// <summary>The quota root of a mailbox.</summary>
    public static string RootOf(ImapSession session, Mailbox mailbox) =>
        mailbox.Owner == session.AccountId ? "" : string.Join(MailboxTree.Delimiter, mailbox.Path.Split(MailboxTree.Delimiter)[..2]);

    /// <summary>The account a quota root names, if the user can see any mailbox of it.</summary>
    public static async Task<Account?> FindRootAsync(ImapSession session, string root, CancellationToken cancellationToken)
    {
        var tree = await session.LoadMailboxesAsync(cancellationToken);
        var owner = root.Length == 0 ? session.AccountId : tree.All.FirstOrDefault(m => RootOf(session, m) == root)?.Owner;
        return owner is { } id ? await session.Services.Directory.GetAccountAsync(id, cancellationToken) : null;
    }

    /// <summary><c>* QUOTA root (STORAGE used limit)</c>, or an empty list when the account has no quota.</summary>
    public static ImapResponse Response(ImapSession session, string root, Account account)
    {
        ImapValue[] resources = account.QuotaBytes is { } limit
            ? [new ImapAtom("STORAGE"), ImapValue.Number((ulong)((account.UsedBytes + Unit - 1) / Unit)), ImapValue.Number((ulong)(limit / Unit))]
            : [];
        return new ImapUntaggedDataResponse("QUOTA", [ImapValue.NString(session.WireName(root)), ImapValue.List(resources)]);
    }

    /// <summary>
    /// Whether <paramref name="bytes"/> more fit in the owner's quota; when not, NO [OVERQUOTA] is written. Checked,
    /// not reserved, like delivery: two writers at once may overshoot a little.
    /// </summary>
    public static async Task<bool> FitsAsync(ImapSession session, string tag, AccountId owner, long bytes, CancellationToken cancellationToken)
    {
        var account = await session.Services.Directory.GetAccountAsync(owner, cancellationToken);
        if (account?.QuotaBytes is not { } quota || account.UsedBytes + bytes <= quota)
            return true;
        session.No(tag, "Quota exceeded", ImapResponseCode.OverQuota);
        return false;
    }
}
