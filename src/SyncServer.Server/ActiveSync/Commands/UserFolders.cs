using System.Globalization;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// What FolderCreate, FolderUpdate and FolderDelete share: a folder's ServerId is its collection id, names are leaf
/// names (no '/', which IMAP shows as hierarchy), siblings differ in more than case (as on Exchange, and so that
/// INBOX stays unique), and the default folders (types 2–6) are the special ones a client may not change.
/// </summary>
public static class UserFolders
{
    public const string Root = "0";

    /// <summary>A mail folder of the account by ServerId, or null.</summary>
    public static Collection? Find(IReadOnlyList<Collection> collections, string? serverId)
        => long.TryParse(serverId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? collections.FirstOrDefault(c => c.Id.Value == id && FolderTypes.IsServed(c))
            : null;

    public static bool IsValidName(string? name)
        => name is { Length: > 0 and <= 256 } && !name.Contains('/') && !name.Any(char.IsControl) && name.Trim().Length > 0;

    public static bool IsSpecial(Collection collection) => FolderTypes.Of(collection) != FolderTypes.UserMail;

    public static bool IsTaken(IReadOnlyList<Collection> collections, CollectionId? parent, string name, CollectionId? except = null)
        => collections.Any(c => c.ParentId == parent && c.Id != except
            && string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The collection and every collection below it.</summary>
    public static IReadOnlyCollection<CollectionId> Subtree(IReadOnlyList<Collection> collections, CollectionId top)
    {
        var found = new HashSet<CollectionId> { top };
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var c in collections)
                grew |= c.ParentId is { } parent && found.Contains(parent) && found.Add(c.Id);
        }
        return found;
    }
}
