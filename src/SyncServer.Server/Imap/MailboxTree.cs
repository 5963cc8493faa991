using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Server.Imap;

/// <summary>
/// A mailbox with its full IMAP name (leaf names joined by <see cref="MailboxTree.Delimiter"/>) and the user's
/// rights on it (all of them on the user's own; a shared one's from the grants).
/// </summary>
public sealed record Mailbox(string Path, Collection Collection, bool HasChildren, GrantRights Rights = AclRights.Owner)
{
    /// <summary>The account the mailbox belongs to; its writes go through that account's store transaction.</summary>
    public AccountId Owner => Collection.AccountId;

    public bool Has(GrantRights rights) => (Rights & rights) == rights;
}

/// <summary>
/// The mailboxes a user sees by hierarchical name. The store keeps a parent and a leaf name per collection; IMAP
/// sees paths. The Inbox-role collection is always "INBOX", whatever its stored name. Mailboxes of other accounts
/// granted to the user (another user's, or a shared account's like info@) appear in the other users' namespace as
/// <c>Shared/&lt;owner address&gt;/&lt;path&gt;</c>; levels above them that the user may not see are \Noselect placeholders.
/// </summary>
public sealed class MailboxTree
{
    public const char Delimiter = '/';

    /// <summary>The prefix of the other users' namespace (RFC 2342), announced by NAMESPACE.</summary>
    public const string SharedRoot = "Shared";

    private readonly Dictionary<string, Mailbox> _byPath;

    private MailboxTree(IEnumerable<(string Path, Collection Collection, GrantRights Rights)> mailboxes)
    {
        _byPath = mailboxes.Where(m => m.Rights != GrantRights.None)
            .ToDictionary(m => m.Path, m => new Mailbox(m.Path, m.Collection, false, m.Rights), StringComparer.Ordinal);
        var listed = _byPath.Values.Where(m => m.Has(GrantRights.Lookup)).ToList();
        // Only what the user may see counts: a hidden child must not show through \HasChildren.
        var ancestors = listed.SelectMany(m => Ancestors(m.Path)).ToHashSet(StringComparer.Ordinal);
        foreach (var mailbox in listed.Where(m => ancestors.Contains(m.Path)))
            _byPath[mailbox.Path] = mailbox with { HasChildren = true };
        All = [.. listed.Select(m => _byPath[m.Path]).OrderBy(m => m.Path != "INBOX").ThenBy(m => m.Path, StringComparer.Ordinal)];
        Placeholders = [.. ancestors.Where(p => !_byPath.TryGetValue(p, out var m) || !m.Has(GrantRights.Lookup)).Order(StringComparer.Ordinal)];
    }

    /// <summary>The mailboxes the user may list (the <c>l</c> right): INBOX first, then by name.</summary>
    public IReadOnlyList<Mailbox> All { get; }

    /// <summary>Levels that have visible mailboxes below them but are not mailboxes the user may list (\Noselect \HasChildren).</summary>
    public IReadOnlyList<string> Placeholders { get; }

    /// <summary>The account's own mailboxes.</summary>
    public static async Task<MailboxTree> LoadAsync(IStore store, AccountId account, CancellationToken cancellationToken) =>
        new(Paths(await store.ListCollectionsAsync(account, cancellationToken), "", _ => AclRights.Owner));

    /// <summary>The account's own mailboxes and those of other accounts granted to it.</summary>
    public static async Task<MailboxTree> LoadVisibleAsync(IStore store, IDirectoryStore directory, AccountId user, CancellationToken cancellationToken)
    {
        var mailboxes = Paths(await store.ListCollectionsAsync(user, cancellationToken), "", _ => AclRights.Owner).ToList();
        foreach (var grants in (await directory.ListGrantsByGranteeAsync(user, cancellationToken)).Where(g => g.TargetAccount != user).GroupBy(g => g.TargetAccount))
        {
            if (await directory.GetAccountAsync(grants.Key, cancellationToken) is not { Enabled: true } owner)
                continue;
            var whole = AclRights.Of(grants.Where(g => g.TargetCollection is null).Aggregate(GrantRights.None, (r, g) => r | g.Rights));
            var collections = await store.ListCollectionsAsync(owner.Id, cancellationToken);
            mailboxes.AddRange(Paths(collections, SharedRoot + Delimiter + owner.Address + Delimiter,
                c => whole | AclRights.Of(grants.Where(g => g.TargetCollection == c.Id).Aggregate(GrantRights.None, (r, g) => r | g.Rights))));
        }
        return new MailboxTree(mailboxes);
    }

    /// <summary>A mailbox by its decoded name; INBOX in any case is INBOX (RFC 9051 §5.1).</summary>
    public Mailbox? Find(string path) => _byPath.GetValueOrDefault(Normalise(path));

    /// <summary>Whether a name is in the other users' namespace (or is its root).</summary>
    public static bool IsShared(string path) =>
        path == SharedRoot || path.StartsWith(SharedRoot + Delimiter, StringComparison.Ordinal);

    /// <summary>The parent path of a name and its leaf, e.g. "a/b/c" → ("a/b", "c"); a top-level name has no parent.</summary>
    public static (string? Parent, string Leaf) Split(string path)
    {
        var at = path.LastIndexOf(Delimiter);
        return at < 0 ? (null, path) : (path[..at], path[(at + 1)..]);
    }

    /// <summary>Whether a name is one a client may create: no empty levels, no leading or trailing delimiter.</summary>
    public static bool IsValidName(string path) =>
        path.Length > 0 && path.Split(Delimiter).All(level => level.Length > 0 && !level.Any(char.IsControl));

    public static string Normalise(string path) =>
        path.Equals("INBOX", StringComparison.OrdinalIgnoreCase) || path.StartsWith("INBOX/", StringComparison.OrdinalIgnoreCase)
            ? "INBOX" + path[5..]
            : path;

    private static IEnumerable<string> Ancestors(string path)
    {
        for (var parent = Split(path).Parent; parent is not null; parent = Split(parent).Parent)
            yield return parent;
    }

    private static IEnumerable<(string, Collection, GrantRights)> Paths(IReadOnlyList<Collection> collections, string prefix, Func<Collection, GrantRights> rights)
    {
        var mailboxes = collections.Where(c => c.Kind == CollectionKind.Mailbox).ToDictionary(c => c.Id);
        return mailboxes.Values.Select(c => (prefix + PathOf(c, mailboxes), c, rights(c)));
    }

    private static string PathOf(Collection collection, Dictionary<CollectionId, Collection> mailboxes)
    {
        var leaf = collection.Role == CollectionRole.Inbox ? "INBOX" : collection.Name;
        return collection.ParentId is { } parent && mailboxes.TryGetValue(parent, out var parentCollection)
            ? PathOf(parentCollection, mailboxes) + Delimiter + leaf
            : leaf;
    }
}
