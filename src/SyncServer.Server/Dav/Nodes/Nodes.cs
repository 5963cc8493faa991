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

/// <summary>
/// <c>/dav/principals/{user}/</c> (RFC 3744 principal, RFC 4791 §6.2 / RFC 6352 §7.1 home sets): the user's own, or the
/// owner of a collection shared with the user (named by DAV:owner; its homes stay private).
/// </summary>
public sealed class PrincipalNode(Account account) : DavNode(DavPaths.Principal(account.Address))
{
    public Account Account { get; } = account;
}

/// <summary><c>/dav/calendars/{user}/</c>: the calendar home; its members are the user's calendars and task lists, then those shared with the user.</summary>
public sealed class CalendarHomeNode(Account account) : DavNode(DavPaths.CalendarHome(account.Address)), IHomeNode
{
    public Account Account { get; } = account;

    public bool Accepts(CollectionKind kind) => kind is CollectionKind.Calendar or CollectionKind.Tasks;

    public StoreCollectionNode Node(Collection collection, CollectionAccess access, string segment)
        => new CalendarNode($"{Href}{DavPaths.Segment(segment)}/", collection, access);

    public override Task<IReadOnlyList<DavNode>> ChildrenAsync(DavContext context) => context.Tree.HomeMembersAsync(context, this);

    public override Task<DavNode?> MemberAsync(DavContext context, string name) => context.Tree.HomeMemberAsync(context, this, name);
}

/// <summary>A calendar collection (RFC 4791 §4.2): <c>/dav/calendars/{user}/{name}/</c>, or a shared one in the grantee's home.</summary>
public sealed class CalendarNode(string href, Collection collection, CollectionAccess access)
    : StoreCollectionNode(href, collection, access), ICalendarCollectionNode
{
    public override DavNode Member(Item item) => new CalendarObjectNode(this, item);
}

/// <summary>A calendar object resource (RFC 4791 §4.1): an item whose blob is the iCalendar text the client stored.</summary>
public sealed class CalendarObjectNode(CalendarNode calendar, Item item) : DavNode(calendar.Href + DavPaths.Segment(item.ResourceName)), IItemNode
{
    public CalendarNode Calendar { get; } = calendar;

    public IStoreCollectionNode Parent => Calendar;

    public Item Item { get; } = item;

    public Task<string> ContentTypeAsync(DavContext context) => Task.FromResult("text/calendar; charset=utf-8");

    public override bool IsCollection => false;
}

/// <summary><c>/dav/addressbooks/{user}/</c>: the address book home; its own address books, those shared with the user, and the directory.</summary>
public sealed class AddressBookHomeNode(Account account) : DavNode(DavPaths.AddressBookHome(account.Address)), IHomeNode
{
    public Account Account { get; } = account;

    public bool Accepts(CollectionKind kind) => kind is CollectionKind.AddressBook;

    public StoreCollectionNode Node(Collection collection, CollectionAccess access, string segment)
        => new AddressBookNode($"{Href}{DavPaths.Segment(segment)}/", collection, access);

    public override Task<IReadOnlyList<DavNode>> ChildrenAsync(DavContext context) => context.Tree.HomeMembersAsync(context, this);

    public override Task<DavNode?> MemberAsync(DavContext context, string name) => context.Tree.HomeMemberAsync(context, this, name);
}

/// <summary>An address book collection (RFC 6352 §5.2): <c>/dav/addressbooks/{user}/{name}/</c>, or a shared one in the grantee's home.</summary>
public sealed class AddressBookNode(string href, Collection collection, CollectionAccess access)
    : StoreCollectionNode(href, collection, access), IAddressBookCollectionNode
{
    public override DavNode Member(Item item) => new ContactNode(this, item);
}

/// <summary>An address object resource (RFC 6352 §5.1): an item whose blob is the vCard the client stored.</summary>
public sealed class ContactNode(AddressBookNode addressBook, Item item) : DavNode(addressBook.Href + DavPaths.Segment(item.ResourceName)), IItemNode, IAddressObjectNode
{
    public AddressBookNode AddressBook { get; } = addressBook;

    public IStoreCollectionNode Parent => AddressBook;

    public Item Item { get; } = item;

    public Task<string> ContentTypeAsync(DavContext context) => Task.FromResult("text/vcard; charset=utf-8");

    public override bool IsCollection => false;

    public Task<string> VCardTextAsync(DavContext context) => DavProperties.TextAsync(context, Item);
}
