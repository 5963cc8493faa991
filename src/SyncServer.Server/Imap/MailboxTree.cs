using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Server.Imap;

/// <summary>A mailbox with its full IMAP name (leaf names joined by <see cref="MailboxTree.Delimiter"/>).</summary>
public sealed record Mailbox(string Path, Collection Collection, bool HasChildren);

/// <summary>
/// An account's mailboxes by hierarchical name. The store keeps a parent and a leaf name per collection; IMAP
/// sees paths. The Inbox-role collection is always "INBOX", whatever its stored name.
/// </summary>
public sealed class MailboxTree
{
    public const char Delimiter = '/';

    private readonly Dictionary<string, Mailbox> _byPath;

    private MailboxTree(IReadOnlyList<Collection> collections)
    {
        var mailboxes = collections.Where(c => c.Kind == CollectionKind.Mailbox).ToDictionary(c => c.Id);
        var parents = mailboxes.Values.Where(c => c.ParentId is not null).Select(c => c.ParentId!.Value).ToHashSet();
        _byPath = new Dictionary<string, Mailbox>(StringComparer.Ordinal);
        foreach (var collection in mailboxes.Values)
        {
            var path = PathOf(collection, mailboxes);
            _byPath[path] = new Mailbox(path, collection, parents.Contains(collection.Id));
        }
        All = [.. _byPath.Values.OrderBy(m => m.Path != "INBOX").ThenBy(m => m.Path, StringComparer.Ordinal)];
    }

    /// <summary>INBOX first, then by name.</summary>
    public IReadOnlyList<Mailbox> All { get; }

    public static async Task<MailboxTree> LoadAsync(IStore store, AccountId account, CancellationToken cancellationToken) =>
        new(await store.ListCollectionsAsync(account, cancellationToken));

    /// <summary>A mailbox by its decoded name; INBOX in any case is INBOX (RFC 9051 §5.1).</summary>
    public Mailbox? Find(string path) => _byPath.GetValueOrDefault(Normalise(path));

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

    private static string PathOf(Collection collection, Dictionary<CollectionId, Collection> mailboxes)
    {
        var leaf = collection.Role == CollectionRole.Inbox ? "INBOX" : collection.Name;
        return collection.ParentId is { } parent && mailboxes.TryGetValue(parent, out var parentCollection)
            ? PathOf(parentCollection, mailboxes) + Delimiter + leaf
            : leaf;
    }
}
