using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Server.Dav.Nodes;
using SyncServer.Server.Scheduling;

namespace SyncServer.Server.Dav;

/// <summary>
/// Maps a request path to a node (DESIGN.md §3). Another user's principal, home or collection resolves to nothing, exactly as a
/// path that does not exist, so a 404 never tells whether that user exists. The exceptions are what a share gives: a collection
/// shared with the user appears in the user's own home (<see cref="DavPaths.SharedName"/>), and its owner's principal resolves.
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
        var top = segments[0];
        if (top == "principals")
            return segments.Length == 2 ? await PrincipalAsync(context, segments[1]) : null;
        if (!string.Equals(segments[1], account.Address, StringComparison.OrdinalIgnoreCase))
            return null;
        DavNode? node = top switch
        {
            DavPaths.Calendars => new CalendarHomeNode(account),
            DavPaths.AddressBooks => new AddressBookHomeNode(account),
            DavPaths.Files => await FilesHomeAsync(context),
            _ => null,
        };
        if (node is null)
            return null;
        if (top == DavPaths.Calendars && segments.Length > 2 && segments[2] is DavPaths.InboxSegment or DavPaths.OutboxSegment)
            return await ResolveScheduleAsync(context, segments);
        foreach (var segment in segments[2..])
        {
            if (await node.MemberAsync(context, segment) is not { } member)
                return null;
            node = member;
        }
        return node;
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
            return new FolderNode(href, root, CollectionAccess.Own(account));
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
        return new FolderNode(href, root, CollectionAccess.Own(account));
    }

    private static bool IsFilesRoot(Collection c) => c.ParentId is null && c.Kind == CollectionKind.Files && c.Name == FolderNode.RootName;

    /// <summary>The schedule outbox (no members), or the schedule inbox (made on first use) and its messages.</summary>
    private static async Task<DavNode?> ResolveScheduleAsync(DavContext context, string[] segments)
    {
        if (segments[2] == DavPaths.OutboxSegment)
            return segments.Length == 3 ? new ScheduleOutboxNode(context.Account) : null;
        if (segments.Length > 4)
            return null;
        var inbox = new ScheduleInboxNode(context.Account,
            await context.Http.RequestServices.GetRequiredService<CalendarStore>().InboxAsync(context.Account.Id, context.Aborted));
        if (segments.Length == 3)
            return inbox;
        var item = await context.Store.GetItemByResourceNameAsync(inbox.Collection.Id, segments[3], context.Aborted);
        return item is null ? null : inbox.Member(item);
    }

    /// <summary>A home's members: the user's own collections of its kinds, those shared with the user, and (address books) the directory.</summary>
    public async Task<IReadOnlyList<DavNode>> HomeMembersAsync(DavContext context, IHomeNode home)
    {
        var members = new List<DavNode>();
        members.AddRange((await OwnAsync(context, home)).Select(c => home.Node(c, CollectionAccess.Own(home.Account), c.Name)));
        members.AddRange((await context.SharedWithAsync()).Where(s => home.Accepts(s.Collection.Kind))
            .Select(s => home.Node(s.Collection, CollectionAccess.Of(s), DavPaths.SharedName(s.Owner.Address, s.Collection.Name))));
        if (home is AddressBookHomeNode addressBooks)
            members.Add(await DirectoryAsync(context, addressBooks));
        return members;
    }

    /// <summary>The home's member named <paramref name="name"/>: the directory, else an own collection, else a share; or null.</summary>
    public async Task<DavNode?> HomeMemberAsync(DavContext context, IHomeNode home, string name)
    {
        if (home is AddressBookHomeNode addressBooks && name == DavPaths.Directory)
            return await DirectoryAsync(context, addressBooks);
        if ((await OwnAsync(context, home)).FirstOrDefault(c => c.Name == name) is { } own)
            return home.Node(own, CollectionAccess.Own(home.Account), own.Name);
        return (await context.SharedWithAsync()).Where(s => home.Accepts(s.Collection.Kind) && DavPaths.SharedName(s.Owner.Address, s.Collection.Name) == name)
            .Select(s => home.Node(s.Collection, CollectionAccess.Of(s), name)).FirstOrDefault();
    }

    private static async Task<IEnumerable<Collection>> OwnAsync(DavContext context, IHomeNode home)
        => (await context.Store.ListCollectionsAsync(home.Account.Id, context.Aborted))
            .Where(c => c.ParentId is null && home.Accepts(c.Kind) && (home is not AddressBookHomeNode || c.Name != DavPaths.Directory));

    private static async Task<DirectoryNode> DirectoryAsync(DavContext context, AddressBookHomeNode home)
        => new($"{home.Href}{DavPaths.Directory}/", await context.DirectoryListingAsync());

    // The user's own principal, or the principal of an owner who shares a collection with the user.
    private static async Task<PrincipalNode?> PrincipalAsync(DavContext context, string address)
    {
        if (string.Equals(address, context.Account.Address, StringComparison.OrdinalIgnoreCase))
            return new PrincipalNode(context.Account);
        return (await context.SharedWithAsync()).Where(s => string.Equals(s.Owner.Address, address, StringComparison.OrdinalIgnoreCase))
            .Select(s => new PrincipalNode(s.Owner)).FirstOrDefault();
    }
}
