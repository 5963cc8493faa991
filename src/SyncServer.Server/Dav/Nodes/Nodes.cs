using SyncServer.Core.Model;

namespace SyncServer.Server.Dav.Nodes;

/// <summary><c>/dav/</c>: where discovery starts (RFC 6764 target); lists nothing, answers current-user-principal.</summary>
public sealed class RootNode() : DavNode(DavPaths.Root);

/// <summary><c>/dav/principals/</c>: the principal collection (macOS follows principal-collection-set there); lists the user's own principal.</summary>
public sealed class PrincipalsNode(Account account) : DavNode(DavPaths.Principals)
{
    public override Task<IReadOnlyList<DavNode>> ChildrenAsync(DavContext context)
        => Task.FromResult<IReadOnlyList<DavNode>>([new PrincipalNode(account)]);
}

/// <summary><c>/dav/principals/{user}/</c> (RFC 3744 principal, RFC 4791 §6.2 / RFC 6352 §7.1 home sets).</summary>
public sealed class PrincipalNode(Account account) : DavNode(DavPaths.Principal(account.Address))
{
    public Account Account { get; } = account;
}

/// <summary><c>/dav/calendars/{user}/</c>: the calendar home; its members are the user's calendar and task collections.</summary>
public sealed class CalendarHomeNode(Account account) : DavNode(DavPaths.CalendarHome(account.Address)), IHomeNode
{
    public Account Account { get; } = account;

    public bool Accepts(CollectionKind kind) => kind is CollectionKind.Calendar or CollectionKind.Tasks;

    public override async Task<IReadOnlyList<DavNode>> ChildrenAsync(DavContext context)
        => (await context.Store.ListCollectionsAsync(Account.Id, context.Aborted))
            .Where(c => c.ParentId is null && Accepts(c.Kind)).Select(c => (DavNode)new CalendarNode(Account, c)).ToList();
}

/// <summary><c>/dav/calendars/{user}/{name}/</c>: a calendar collection (RFC 4791 §4.2).</summary>
public sealed class CalendarNode(Account account, Collection collection)
    : StoreCollectionNode($"{DavPaths.CalendarHome(account.Address)}{DavPaths.Segment(collection.Name)}/", collection), ICalendarCollectionNode
{
    public Account Account { get; } = account;

    public override DavNode Member(Item item) => new CalendarObjectNode(this, item);
}

/// <summary>A calendar object resource (RFC 4791 §4.1): an item whose blob is the iCalendar text the client stored.</summary>
public sealed class CalendarObjectNode(CalendarNode calendar, Item item) : DavNode(calendar.Href + DavPaths.Segment(item.ResourceName)), IItemNode
{
    public CalendarNode Calendar { get; } = calendar;

    public Item Item { get; } = item;

    public Task<string> ContentTypeAsync(DavContext context) => Task.FromResult("text/calendar; charset=utf-8");

    public override bool IsCollection => false;
}

/// <summary><c>/dav/addressbooks/{user}/</c>: the address book home.</summary>
public sealed class AddressBookHomeNode(Account account) : DavNode(DavPaths.AddressBookHome(account.Address)), IHomeNode
{
    public Account Account { get; } = account;

    public bool Accepts(CollectionKind kind) => kind is CollectionKind.AddressBook;

    public override async Task<IReadOnlyList<DavNode>> ChildrenAsync(DavContext context)
        => (await context.Store.ListCollectionsAsync(Account.Id, context.Aborted))
            .Where(c => c.ParentId is null && Accepts(c.Kind)).Select(c => (DavNode)new AddressBookNode(Account, c)).ToList();
}

/// <summary><c>/dav/addressbooks/{user}/{name}/</c>: an address book collection (RFC 6352 §5.2).</summary>
public sealed class AddressBookNode(Account account, Collection collection)
    : StoreCollectionNode($"{DavPaths.AddressBookHome(account.Address)}{DavPaths.Segment(collection.Name)}/", collection), IAddressBookCollectionNode
{
    public Account Account { get; } = account;

    public override DavNode Member(Item item) => new ContactNode(this, item);
}

/// <summary>An address object resource (RFC 6352 §5.1): an item whose blob is the vCard the client stored.</summary>
public sealed class ContactNode(AddressBookNode addressBook, Item item) : DavNode(addressBook.Href + DavPaths.Segment(item.ResourceName)), IItemNode
{
    public AddressBookNode AddressBook { get; } = addressBook;

    public Item Item { get; } = item;

    public Task<string> ContentTypeAsync(DavContext context) => Task.FromResult("text/vcard; charset=utf-8");

    public override bool IsCollection => false;
}
