using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Server.Dav.Nodes;

namespace SyncServer.Server.Dav;

/// <summary>
/// Maps a request path to a node (DESIGN.md §3). Another user's principal, home or collection resolves to nothing, exactly as a
/// path that does not exist, so a 404 never tells whether that user exists.
/// </summary>
public sealed class DavTree
{
    /// <summary>The node at <paramref name="path"/> (a path or an absolute URL), or null.</summary>
    public async Task<DavNode?> ResolveAsync(DavContext context, string path)
    {
        var segments = DavPaths.Split(path);
        if (segments is null)
            return null;
        var account = context.Account;
        switch (segments.Length)
        {
            case 0:
                return new RootNode();
            case 1:
                return segments[0] == "principals" ? new PrincipalsNode(account) : null;
        }
        if (!string.Equals(segments[1], account.Address, StringComparison.OrdinalIgnoreCase))
            return null;
        var top = segments[0];
        if (top == "principals")
            return segments.Length == 2 ? new PrincipalNode(account) : null;
        if (top == DavPaths.Files)
            return await ResolveFileAsync(context, segments[2..]);
        if (top != DavPaths.Calendars && top != DavPaths.AddressBooks)
            return null;
        DavNode home = top == DavPaths.Calendars ? new CalendarHomeNode(account) : new AddressBookHomeNode(account);
        if (segments.Length == 2)
            return home;
        var collection = await FindCollectionAsync(context, (IHomeNode)home, segments[2]);
        if (collection is null)
            return null;
        StoreCollectionNode node = top == DavPaths.Calendars ? new CalendarNode(account, collection) : new AddressBookNode(account, collection);
        if (segments.Length == 3)
            return node;
        if (segments.Length > 4)
            return null;
        var item = await context.Store.GetItemByResourceNameAsync(collection.Id, segments[3], context.Aborted);
        return item is null ? null : node.Member(item);
    }

    /// <summary>For a path that names a new member: its parent node (if it exists) and the new leaf name.</summary>
    public async Task<(DavNode? Parent, string Name)> ResolveParentAsync(DavContext context, string path)
    {
        var trimmed = path.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        if (slash < 0)
            return (null, "");
        var name = Uri.UnescapeDataString(trimmed[(slash + 1)..]);
        return (await ResolveAsync(context, trimmed[..(slash + 1)]), name);
    }

    /// <summary>The files home, made on first use: the account's one top-level collection of kind Files.</summary>
    public static async Task<FolderNode> FilesHomeAsync(DavContext context)
    {
        var account = context.Account;
        var href = DavPaths.FilesHome(account.Address);
        if ((await context.Store.ListCollectionsAsync(account.Id, context.Aborted)).FirstOrDefault(IsFilesRoot) is { } root)
            return new FolderNode(account, root, href);
        try
        {
            await using var transaction = await context.Store.BeginAsync(account.Id, context.Aborted);
            root = await transaction.CreateCollectionAsync(new NewCollection(FolderNode.RootName, CollectionKind.Files), context.Aborted);
            await transaction.CommitAsync(context.Aborted);
        }
        catch (StoreConflictException)
        {
            root = (await context.Store.ListCollectionsAsync(account.Id, context.Aborted)).Single(IsFilesRoot); // made by a concurrent request
        }
        return new FolderNode(account, root, href);
    }

    /// <summary>A path under the files home: each segment names a plain collection, or (the last one) a resource.</summary>
    private static async Task<DavNode?> ResolveFileAsync(DavContext context, string[] segments)
    {
        var folder = await FilesHomeAsync(context);
        var collections = await context.Store.ListCollectionsAsync(context.Account.Id, context.Aborted);
        for (var i = 0; i < segments.Length; i++)
        {
            var child = collections.FirstOrDefault(c => c.ParentId == folder.Collection.Id && c.Kind == CollectionKind.Files && c.Name == segments[i]);
            if (child is not null)
            {
                folder = folder.Child(child);
                continue;
            }
            if (i < segments.Length - 1)
                return null;
            var item = await context.Store.GetItemByResourceNameAsync(folder.Collection.Id, segments[i], context.Aborted);
            return item is null ? null : folder.Member(item);
        }
        return folder;
    }

    private static bool IsFilesRoot(Collection c) => c.ParentId is null && c.Kind == CollectionKind.Files && c.Name == FolderNode.RootName;

    private static async Task<Collection?> FindCollectionAsync(DavContext context, IHomeNode home, string name)
        => (await context.Store.ListCollectionsAsync(home.Account.Id, context.Aborted))
            .FirstOrDefault(c => c.ParentId is null && home.Accepts(c.Kind) && c.Name == name);
}
