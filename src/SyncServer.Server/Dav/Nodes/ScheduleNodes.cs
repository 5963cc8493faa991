using SyncServer.Core.Model;

namespace SyncServer.Server.Dav.Nodes;

/// <summary>
/// <c>/dav/calendars/{user}/inbox/</c>: the schedule inbox (RFC 6638 §2.2), where the server files the iTIP messages other
/// calendar users' scheduling sends this user. Members can be read and deleted, never written by a client.
/// </summary>
public sealed class ScheduleInboxNode(Account account, Collection collection) : StoreCollectionNode(DavPaths.ScheduleInbox(account.Address), collection, CollectionAccess.Own(account))
{
    public Account Account { get; } = account;

    public override DavNode Member(Item item) => new ScheduleMessageNode(this, item);
}

/// <summary>An iTIP message in the schedule inbox (RFC 6638 §2.2): a calendar object with a METHOD.</summary>
public sealed class ScheduleMessageNode(ScheduleInboxNode inbox, Item item) : DavNode(inbox.Href + DavPaths.Segment(item.ResourceName)), IItemNode
{
    public Item Item { get; } = item;

    public IStoreCollectionNode Parent => inbox;

    public Task<string> ContentTypeAsync(DavContext context) => Task.FromResult("text/calendar; charset=utf-8");

    public override bool IsCollection => false;
}

/// <summary>
/// <c>/dav/calendars/{user}/outbox/</c>: the schedule outbox (RFC 6638 §2.1). Scheduling is implicit (the server acts on PUT
/// and DELETE), so it holds nothing; a POST to it asks free-busy of local calendar users (RFC 6638 appendix, CalDAV-sched §6.1.3).
/// </summary>
public sealed class ScheduleOutboxNode(Account account) : DavNode(DavPaths.ScheduleOutbox(account.Address))
{
    public Account Account { get; } = account;
}
