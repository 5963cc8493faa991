using SyncServer.Core.Model;
using SyncServer.Server.Dav.Nodes;
using SyncServer.Server.Scheduling;

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
        if (top != DavPaths.Calendars && top != DavPaths.AddressBooks)
            return null;
        DavNode home = top == DavPaths.Calendars ? new CalendarHomeNode(account) : new AddressBookHomeNode(account);
        if (segments.Length == 2)
            return home;
        if (top == DavPaths.Calendars && segments[2] is DavPaths.InboxSegment or DavPaths.OutboxSegment)
            return await ResolveScheduleAsync(context, segments);
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

    private static async Task<Collection?> FindCollectionAsync(DavContext context, IHomeNode home, string name)
        => (await context.Store.ListCollectionsAsync(home.Account.Id, context.Aborted))
            .FirstOrDefault(c => c.ParentId is null && home.Accepts(c.Kind) && c.Name == name);
}
