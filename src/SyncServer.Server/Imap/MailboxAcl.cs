using SyncServer.Core.Model;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap;

/// <summary>
/// ACL (RFC 4314) over the directory's grants. Identifiers are account addresses; the owner holds every right and
/// cannot be changed; a mailbox's ACL is its owner's grants on the whole account joined with those on that
/// collection. SETACL and DELETEACL change only the grant on that collection.
/// </summary>
public static class MailboxAcl
{
    /// <summary>The named mailbox when the user holds <c>a</c> on it; otherwise null and NO written.</summary>
    public static async Task<Mailbox?> FindAdministeredAsync(ImapSession session, string tag, string wireName, CancellationToken cancellationToken)
    {
        if (session.MailboxName(tag, wireName) is not { } name || await session.FindMailboxAsync(tag, name, cancellationToken) is not { } mailbox)
            return null;
        return session.Allowed(tag, mailbox, GrantRights.Administer) ? mailbox : null;
    }

    /// <summary>The account an identifier names; null and NO written when there is none.</summary>
    public static async Task<Account?> IdentifierAsync(ImapSession session, string tag, string identifier, CancellationToken cancellationToken)
    {
        var account = await session.Services.Directory.GetAccountAsync(identifier, cancellationToken);
        if (account is null)
            session.No(tag, "Unknown identifier; rights are granted to account addresses", ImapResponseCode.CannotDo);
        return account;
    }

    /// <summary>Who holds which rights on the mailbox, the owner first.</summary>
    public static async Task<IReadOnlyList<(string Identifier, GrantRights Rights)>> EntriesAsync(ImapSession session, Mailbox mailbox, CancellationToken cancellationToken)
    {
        var directory = session.Services.Directory;
        var owner = await directory.GetAccountAsync(mailbox.Owner, cancellationToken);
        var entries = new List<(string, GrantRights)> { (owner!.Address, AclRights.Owner) };
        var grants = (await directory.ListGrantsOnAccountAsync(mailbox.Owner, cancellationToken))
            .Where(g => g.TargetCollection is null || g.TargetCollection == mailbox.Collection.Id);
        foreach (var grantee in grants.GroupBy(g => g.Grantee))
        {
            var rights = AclRights.Of(grantee.Aggregate(GrantRights.None, (r, g) => r | g.Rights));
            if (rights != GrantRights.None && await directory.GetAccountAsync(grantee.Key, cancellationToken) is { } account)
                entries.Add((account.Address, rights));
        }
        return entries;
    }

    /// <summary>The grant an identifier has on exactly this collection (None when it has none).</summary>
    public static async Task<GrantRights> CollectionGrantAsync(ImapSession session, Mailbox mailbox, AccountId grantee, CancellationToken cancellationToken) =>
        (await session.Services.Directory.ListGrantsByGranteeAsync(grantee, cancellationToken))
            .Where(g => g.TargetAccount == mailbox.Owner && g.TargetCollection == mailbox.Collection.Id)
            .Aggregate(GrantRights.None, (r, g) => r | g.Rights);

    public static ImapValue RightsValue(GrantRights rights) =>
        AclRights.Format(rights) is { Length: > 0 } letters ? new ImapAtom(letters) : ImapValue.NString("");
}
