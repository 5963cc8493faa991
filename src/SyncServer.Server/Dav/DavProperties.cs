using System.Globalization;
using System.Text;
using System.Xml.Linq;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.Dav;
using SyncServer.Server.Dav.Nodes;
using SyncServer.Server.Dav.Reports;
using SyncServer.Server.Scheduling;
using static SyncServer.Protocols.Dav.DavNames;

namespace SyncServer.Server.Dav;

/// <summary>
/// A live property of one node type, computed only when asked. <see cref="Compute"/> gets the asked element (calendar-data
/// may carry <c>expand</c>) and returns the element's content, or null for "not found on this resource".
/// </summary>
public sealed record DavProperty(XName Name, Type NodeType, bool InAllProp, Func<DavContext, DavNode, XElement, Task<object?>> Compute);

/// <summary>
/// The properties registered per node type (DESIGN.md §3), the client-writable ones, and PROPFIND evaluation. Client-set
/// properties of a calendar, address book, plain collection or plain resource (displayname, calendar-color, dead properties)
/// come from the store and win over the computed default.
/// </summary>
public static class DavProperties
{
    /// <summary>Live properties a client may set on a calendar or address book (all others registered here are protected).</summary>
    public static readonly IReadOnlySet<XName> Writable = new HashSet<XName>
    {
        DisplayName, CalendarColor, CalendarDescription, CalendarTimezone, CalendarOrder, AddressBookDescription, ScheduleCalendarTransp,
    };

    private static readonly List<DavProperty> All = [];

    static DavProperties()
    {
        // Every resource (RFC 4918 §15, RFC 5397, RFC 3744 §5, RFC 3253 §3.1.5)
        Add<DavNode>(ResourceType, true, async (c, n) => await ResourceTypeAsync(c, n));
        Add<DavNode>(CurrentUserPrincipal, false, (c, _) => Sync(Href(DavPaths.Principal(c.Account.Address))));
        Add<DavNode>(PrincipalCollectionSet, false, (_, _) => Sync(Href(DavPaths.Principals)));
        Add<DavNode>(CurrentUserPrivilegeSet, false, (c, n) => Sync(Privileges.Of(c, n).Select(p => new XElement(Privilege, new XElement(p))).ToList()));
        Add<DavNode>(SupportedReportSet, false, (_, n) => Sync(DavReports.All.Where(r => r.AppliesTo(n))
            .Select(r => new XElement(SupportedReport, new XElement(Report, new XElement(r.Name)))).ToList()));
        Add<DavNode>(Owner, false, (c, n) => Sync(OwnerOf(c, n) is { } owner ? Href(DavPaths.Principal(owner.Address)) : null));
        Add<DavNode>(SupportedLock, false, (_, _) => Sync(""));

        // Principal (RFC 3744 §4, RFC 4791 §6.2, RFC 6352 §7.1); another user's (a sharer's) shows who it is, not where its homes are
        Add<PrincipalNode>(DisplayName, true, (_, n) => Sync(NameOf(((PrincipalNode)n).Account)));
        Add<PrincipalNode>(PrincipalUrl, false, (_, n) => Sync(Href(n.Href)));
        Add<PrincipalNode>(CalendarHomeSet, false, (c, n) => Sync(IsOwn(c, n) ? Href(DavPaths.CalendarHome(c.Account.Address)) : null));
        Add<PrincipalNode>(AddressBookHomeSet, false, (c, n) => Sync(IsOwn(c, n) ? Href(DavPaths.AddressBookHome(c.Account.Address)) : null));
        Add<PrincipalNode>(CalendarUserAddressSet, false, async (c, n) => (await c.Http.RequestServices.GetRequiredService<CalendarUsers>().AddressesAsync(((PrincipalNode)n).Account, c.Aborted))
            .Select(a => Href("mailto:" + a)).Append(Href(n.Href)).ToList());
        Add<PrincipalNode>(ScheduleInboxUrl, false, (c, n) => Sync(IsOwn(c, n) ? Href(DavPaths.ScheduleInbox(c.Account.Address)) : null));
        Add<PrincipalNode>(ScheduleOutboxUrl, false, (c, n) => Sync(IsOwn(c, n) ? Href(DavPaths.ScheduleOutbox(c.Account.Address)) : null));
        Add<PrincipalNode>(CalendarUserType, false, (_, _) => Sync("INDIVIDUAL"));
        Add<PrincipalNode>(EmailAddressSet, false, (_, n) => Sync(new XElement(CalendarServer + "email-address", ((PrincipalNode)n).Account.Address)));

        // Homes and collections: quota (RFC 4331) of the account that owns them
        Add<IHomeNode>(QuotaUsedBytes, false, (c, _) => Sync(Number(c.Account.UsedBytes)));
        Add<IHomeNode>(QuotaAvailableBytes, false, (c, _) => Sync(AvailableBytes(c.Account)));
        Add<IStoreCollectionNode>(QuotaUsedBytes, false, (_, n) => Sync(Number(((IStoreCollectionNode)n).Access.Owner.UsedBytes)));
        Add<IStoreCollectionNode>(QuotaAvailableBytes, false, (_, n) => Sync(AvailableBytes(((IStoreCollectionNode)n).Access.Owner)));

        // Calendars and address books (RFC 4791 §5.2, RFC 6352 §6.2, CalendarServer ctag, RFC 6578 §4)
        // (a plain collection's displayname is a dead property: none until a client sets one)
        Add<ICalendarCollectionNode>(DisplayName, true, (_, n) => Sync(DefaultDisplayName((IStoreCollectionNode)n)));
        Add<IAddressBookCollectionNode>(DisplayName, true, (_, n) => Sync(DefaultDisplayName((IStoreCollectionNode)n)));
        Add<ScheduleInboxNode>(DisplayName, true, (_, n) => Sync(DefaultDisplayName((IStoreCollectionNode)n)));
        Add<IStoreCollectionNode>(GetCTag, false, (_, n) => Sync(Number(((IStoreCollectionNode)n).Collection.HighestModSeq.Value)));
        Add<IStoreCollectionNode>(DavNames.SyncToken, false, (_, n) => Sync(TokenOf(((IStoreCollectionNode)n).Collection)));
        Add<ICalendarCollectionNode>(SupportedCalendarComponentSet, false, async (c, n) => await CalendarComponents.ElementAsync(c, (ICalendarCollectionNode)n));
        Add<ICalendarCollectionNode>(SupportedCalendarData, false, (_, _) => Sync(new XElement(CalendarDataType,
            new XAttribute("content-type", "text/calendar"), new XAttribute("version", "2.0"))));
        Add<ICalendarCollectionNode>(MaxResourceSize, false, (c, _) => Sync(Number(c.Options.MaxResourceSize)));
        // Scheduling (RFC 6638 §9): a calendar counts for free-busy unless set transparent; new invitations go to the default calendar
        Add<ICalendarCollectionNode>(ScheduleCalendarTransp, false, (_, _) => Sync(new XElement(Opaque)));
        Add<ScheduleInboxNode>(ScheduleDefaultCalendarUrl, false, async (c, _) => await DefaultCalendarAsync(c));
        Add<IAddressBookNode>(SupportedAddressData, false, (_, _) => Sync(new[]
        {
            new XElement(AddressDataType, new XAttribute("content-type", "text/vcard"), new XAttribute("version", "3.0")),
            new XElement(AddressDataType, new XAttribute("content-type", "text/vcard"), new XAttribute("version", "4.0")),
        }));
        Add<IAddressBookCollectionNode>(AddressBookMaxResourceSize, false, (c, _) => Sync(Number(c.Options.MaxResourceSize)));

        // Sharing (CalendarServer caldav-sharing, draft-pot-webdav-resource-sharing; shares are made with `syncserver share` or a sharing POST)
        Add<IStoreCollectionNode>(Invite, false, async (c, n) => await SharingProperties.InviteAsync(c, (IStoreCollectionNode)n));
        Add<IStoreCollectionNode>(SharedUrl, false, (_, n) => Sync(SharingProperties.SharedUrl((IStoreCollectionNode)n) is { } url ? Href(url) : null));
        Add<ICalendarCollectionNode>(AllowedSharingModes, false, (_, n) => Sync(SharingProperties.AllowedSharingModes((IStoreCollectionNode)n)));
        Add<IAddressBookCollectionNode>(AllowedSharingModes, false, (_, n) => Sync(SharingProperties.AllowedSharingModes((IStoreCollectionNode)n)));
        Add<ICalendarCollectionNode>(DavNames.ShareAccess, false, async (c, n) => await SharingProperties.ShareAccessAsync(c, (IStoreCollectionNode)n));
        Add<IAddressBookCollectionNode>(DavNames.ShareAccess, false, async (c, n) => await SharingProperties.ShareAccessAsync(c, (IStoreCollectionNode)n));

        // The directory address book (generated from the global address list)
        Add<DirectoryNode>(DisplayName, true, (_, n) => Sync($"Directory ({((DirectoryNode)n).Listing.Domain})"));
        Add<DirectoryNode>(AddressBookDescription, false, (_, n) => Sync($"Accounts and lists of {((DirectoryNode)n).Listing.Domain}"));
        Add<DirectoryNode>(GetCTag, false, (_, n) => Sync(((DirectoryNode)n).Listing.Version));
        Add<DirectoryNode>(DavNames.SyncToken, false, (_, n) => Sync(DirectorySyncCollection.TokenOf(((DirectoryNode)n).Listing)));

        // Members (RFC 4918 §15, RFC 4791 §9.6, RFC 6352 §10.4)
        Add<IItemNode>(GetETag, true, (_, n) => Sync(((IItemNode)n).Item.ETag));
        Add<IItemNode>(GetContentType, true, async (c, n) => await ((IItemNode)n).ContentTypeAsync(c));
        Add<IItemNode>(GetContentLength, true, (_, n) => Sync(Number(((IItemNode)n).Item.Size)));
        Add<IItemNode>(GetLastModified, true, (_, n) => Sync(((IItemNode)n).Item.InternalDate.ToString("R", CultureInfo.InvariantCulture)));
        Add<DirectoryEntryNode>(GetETag, true, (_, n) => Sync(((DirectoryEntryNode)n).ETag));
        Add<DirectoryEntryNode>(GetContentType, true, (_, _) => Sync(DirectoryCards.ContentType));
        Add<DirectoryEntryNode>(GetContentLength, true, (_, n) => Sync(Number(Encoding.UTF8.GetByteCount(((DirectoryEntryNode)n).Text))));
        Add<CalendarObjectNode>(CalendarDataType, false, async (c, n, asked) => await CalendarObjects.CalendarDataAsync(c, (CalendarObjectNode)n, asked));
        Add<CalendarObjectNode>(DavNames.ScheduleTag, false, async (c, n) => ScheduleTags.Of(await TextAsync(c, ((CalendarObjectNode)n).Item)));
        Add<ScheduleMessageNode>(CalendarDataType, false, async (c, n) => await TextAsync(c, ((ScheduleMessageNode)n).Item));
        Add<IAddressObjectNode>(AddressData, false, async (c, n, asked) => ContactObjects.AddressData(await ((IAddressObjectNode)n).VCardTextAsync(c), asked));
    }

    /// <summary>Whether a property name is live (computed) on this node.</summary>
    public static bool IsLive(DavNode node, XName name) => Find(node, name) is not null;

    /// <summary>Evaluates a PROPFIND (or a report's prop list) on one node: found properties under 200, the rest under 404.</summary>
    public static async Task<DavResponse> FindAsync(DavContext context, DavNode node, PropFindRequest request)
    {
        var stored = node is IPropertyStoreNode owner ? await owner.StoredPropertiesAsync(context) : new Dictionary<XName, XElement>();
        List<DavProperty> defined = request.Kind == PropFindKind.Prop ? [] : All.Where(p => p.NodeType.IsInstanceOfType(node)).GroupBy(p => p.Name).Select(g => g.First()).ToList();
        if (request.Kind == PropFindKind.PropName)
        {
            var names = defined.Select(p => p.Name).Union(stored.Keys).Select(n => new XElement(n)).ToList();
            return new DavResponse(node.Href, [new DavPropStat(200, names)]);
        }
        var asked = request.Kind == PropFindKind.AllProp
            ? defined.Where(p => p.InAllProp).Select(p => new XElement(p.Name)).Concat(stored.Values).Concat(request.Requested)
                .GroupBy(e => e.Name).Select(g => g.First()).ToList()
            : request.Requested.ToList();
        var found = new List<XElement>();
        var missing = new List<XElement>();
        foreach (var element in asked)
        {
            if (stored.TryGetValue(element.Name, out var value))
            {
                found.Add(new XElement(value));
                continue;
            }
            var content = Find(node, element.Name) is { } property ? await property.Compute(context, node, element) : null;
            if (content is null)
                missing.Add(new XElement(element.Name));
            else
                found.Add(new XElement(element.Name, content));
        }
        var propStats = new List<DavPropStat>();
        if (found.Count > 0 || missing.Count == 0)
            propStats.Add(new DavPropStat(200, found));
        if (missing.Count > 0)
            propStats.Add(new DavPropStat(404, missing));
        return new DavResponse(node.Href, propStats);
    }

    /// <summary>Stored properties (namespace, name, the element as XML text) by name.</summary>
    public static IReadOnlyDictionary<XName, XElement> Parse(IEnumerable<(string Namespace, string Name, string Xml)> stored)
        => stored.ToDictionary(p => XNamespace.Get(p.Namespace) + p.Name, p => XElement.Parse(p.Xml));

    public static string TokenOf(Collection collection) => new Protocols.Dav.SyncToken(collection.Id.Value, collection.HighestModSeq.Value).ToString();

    public static async Task<string> TextAsync(DavContext context, Item item)
    {
        await using var stream = await ItemContent.OpenAsync(item, context.Blobs, context.Aborted);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(context.Aborted);
    }

    private static DavProperty? Find(DavNode node, XName name) => All.FirstOrDefault(p => p.Name == name && p.NodeType.IsInstanceOfType(node));

    private static void Add<TNode>(XName name, bool inAllProp, Func<DavContext, DavNode, Task<object?>> compute)
        => All.Add(new DavProperty(name, typeof(TNode), inAllProp, (c, n, _) => compute(c, n)));

    private static void Add<TNode>(XName name, bool inAllProp, Func<DavContext, DavNode, XElement, Task<object?>> compute)
        => All.Add(new DavProperty(name, typeof(TNode), inAllProp, compute));

    private static Task<object?> Sync(object? value) => Task.FromResult(value);

    private static XElement Href(string href) => new(DavNames.Href, href);

    private static async Task<object?> DefaultCalendarAsync(DavContext context)
        => (await context.Store.ListCollectionsAsync(context.Account.Id, context.Aborted)).FirstOrDefault(c => c.Role == CollectionRole.DefaultCalendar) is { } calendar
            ? Href(new CalendarHomeNode(context.Account).Node(calendar, CollectionAccess.Own(context.Account), calendar.Name).Href)
            : null;

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? AvailableBytes(Account account)
        => account.QuotaBytes is { } quota ? Number(Math.Max(0, quota - account.UsedBytes)) : null;

    private static async Task<List<XElement>> ResourceTypeAsync(DavContext context, DavNode node)
    {
        var types = new List<XElement>();
        if (node.IsCollection)
            types.Add(new XElement(DavNames.Collection));
        if (node is PrincipalNode)
            types.Add(new XElement(Principal));
        if (node is ICalendarCollectionNode)
            types.Add(new XElement(DavNames.Calendar));
        if (node is IAddressBookNode)
            types.Add(new XElement(AddressBook));
        if (node is IStoreCollectionNode collection && await SharingProperties.SharedTypeAsync(context, collection) is { } shared)
            types.Add(new XElement(shared));
        if (node is ScheduleInboxNode)
            types.Add(new XElement(ScheduleInbox));
        if (node is ScheduleOutboxNode)
            types.Add(new XElement(ScheduleOutbox));
        return types;
    }

    private static bool IsOwn(DavContext context, DavNode principal) => ((PrincipalNode)principal).Account.Id == context.Account.Id;

    private static string NameOf(Account account) => account.DisplayName is { Length: > 0 } name ? name : account.Address;

    /// <summary>The owner of a collection or member: the user for their own, the sharer for a share; none for the directory, root and principals.</summary>
    private static Account? OwnerOf(DavContext context, DavNode node) => node switch
    {
        IStoreCollectionNode collection => collection.Access.Owner,
        IItemNode member => member.Parent.Access.Owner,
        RootNode or PrincipalsNode or DirectoryNode or DirectoryEntryNode => null,
        PrincipalNode principal => principal.Account,
        _ => context.Account,
    };

    // A share shows whose it is unless its owner named it: "calendar (Alice)".
    private static string DefaultDisplayName(IStoreCollectionNode node)
        => node.Access.IsShared ? $"{node.Collection.Name} ({NameOf(node.Access.Owner)})" : node.Collection.Name;
}
