using System.Globalization;
using System.Text;
using System.Xml.Linq;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.Dav;
using SyncServer.Server.Dav.Nodes;
using SyncServer.Server.Dav.Reports;
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
        DisplayName, CalendarColor, CalendarDescription, CalendarTimezone, CalendarOrder, AddressBookDescription,
    };

    private static readonly List<DavProperty> All = [];

    static DavProperties()
    {
        // Every resource (RFC 4918 §15, RFC 5397, RFC 3744 §5, RFC 3253 §3.1.5)
        Add<DavNode>(ResourceType, true, (_, n) => Sync(ResourceTypeOf(n)));
        Add<DavNode>(CurrentUserPrincipal, false, (c, _) => Sync(Href(DavPaths.Principal(c.Account.Address))));
        Add<DavNode>(PrincipalCollectionSet, false, (_, _) => Sync(Href(DavPaths.Principals)));
        Add<DavNode>(CurrentUserPrivilegeSet, false, (_, _) => Sync(PrivilegeSet()));
        Add<DavNode>(SupportedReportSet, false, (_, n) => Sync(DavReports.All.Where(r => r.AppliesTo(n))
            .Select(r => new XElement(SupportedReport, new XElement(Report, new XElement(r.Name)))).ToList()));
        Add<DavNode>(Owner, false, (c, n) => Sync(n is RootNode or PrincipalsNode ? null : Href(DavPaths.Principal(c.Account.Address))));
        Add<DavNode>(SupportedLock, false, (_, _) => Sync(""));

        // Principal (RFC 3744 §4, RFC 4791 §6.2, RFC 6352 §7.1)
        Add<PrincipalNode>(DisplayName, true, (_, n) => Sync(((PrincipalNode)n).Account.DisplayName is { Length: > 0 } d ? d : ((PrincipalNode)n).Account.Address));
        Add<PrincipalNode>(PrincipalUrl, false, (_, n) => Sync(Href(n.Href)));
        Add<PrincipalNode>(CalendarHomeSet, false, (c, _) => Sync(Href(DavPaths.CalendarHome(c.Account.Address))));
        Add<PrincipalNode>(AddressBookHomeSet, false, (c, _) => Sync(Href(DavPaths.AddressBookHome(c.Account.Address))));
        Add<PrincipalNode>(CalendarUserAddressSet, false, (c, n) => Sync(new[] { Href("mailto:" + c.Account.Address), Href(n.Href) }));
        Add<PrincipalNode>(EmailAddressSet, false, (c, _) => Sync(new XElement(CalendarServer + "email-address", c.Account.Address)));

        // Homes and collections: quota (RFC 4331) of the account
        Add<IHomeNode>(QuotaUsedBytes, false, (c, _) => Sync(Number(c.Account.UsedBytes)));
        Add<IHomeNode>(QuotaAvailableBytes, false, (c, _) => Sync(AvailableBytes(c.Account)));
        Add<IStoreCollectionNode>(QuotaUsedBytes, false, (c, _) => Sync(Number(c.Account.UsedBytes)));
        Add<IStoreCollectionNode>(QuotaAvailableBytes, false, (c, _) => Sync(AvailableBytes(c.Account)));

        // Calendars and address books (RFC 4791 §5.2, RFC 6352 §6.2, CalendarServer ctag, RFC 6578 §4)
        Add<ICalendarCollectionNode>(DisplayName, true, (_, n) => Sync(((IStoreCollectionNode)n).Collection.Name));
        Add<IAddressBookCollectionNode>(DisplayName, true, (_, n) => Sync(((IStoreCollectionNode)n).Collection.Name));
        Add<IStoreCollectionNode>(GetCTag, false, (_, n) => Sync(Number(((IStoreCollectionNode)n).Collection.HighestModSeq.Value)));
        Add<IStoreCollectionNode>(DavNames.SyncToken, false, (_, n) => Sync(TokenOf(((IStoreCollectionNode)n).Collection)));
        Add<ICalendarCollectionNode>(SupportedCalendarComponentSet, false, async (c, n) => await CalendarComponents.ElementAsync(c, (ICalendarCollectionNode)n));
        Add<ICalendarCollectionNode>(SupportedCalendarData, false, (_, _) => Sync(new XElement(CalendarDataType,
            new XAttribute("content-type", "text/calendar"), new XAttribute("version", "2.0"))));
        Add<ICalendarCollectionNode>(MaxResourceSize, false, (c, _) => Sync(Number(c.Options.MaxResourceSize)));
        Add<IAddressBookCollectionNode>(SupportedAddressData, false, (_, _) => Sync(new[]
        {
            new XElement(AddressDataType, new XAttribute("content-type", "text/vcard"), new XAttribute("version", "3.0")),
            new XElement(AddressDataType, new XAttribute("content-type", "text/vcard"), new XAttribute("version", "4.0")),
        }));
        Add<IAddressBookCollectionNode>(AddressBookMaxResourceSize, false, (c, _) => Sync(Number(c.Options.MaxResourceSize)));

        // Members (RFC 4918 §15, RFC 4791 §9.6, RFC 6352 §10.4)
        Add<IItemNode>(GetETag, true, (_, n) => Sync(((IItemNode)n).Item.ETag));
        Add<IItemNode>(GetContentType, true, async (c, n) => await ((IItemNode)n).ContentTypeAsync(c));
        Add<IItemNode>(GetContentLength, true, (_, n) => Sync(Number(((IItemNode)n).Item.Size)));
        Add<IItemNode>(GetLastModified, true, (_, n) => Sync(((IItemNode)n).Item.InternalDate.ToString("R", CultureInfo.InvariantCulture)));
        Add<CalendarObjectNode>(CalendarDataType, false, async (c, n, asked) => await CalendarObjects.CalendarDataAsync(c, (CalendarObjectNode)n, asked));
        Add<ContactNode>(AddressData, false, async (c, n, asked) => await ContactObjects.AddressDataAsync(c, (ContactNode)n, asked));
    }

    /// <summary>Whether a property name is live (computed) on this node.</summary>
    public static bool IsLive(DavNode node, XName name) => Find(node, name) is not null;

    /// <summary>Evaluates a PROPFIND (or a report's prop list) on one node: found properties under 200, the rest under 404.</summary>
    public static async Task<DavResponse> FindAsync(DavContext context, DavNode node, PropFindRequest request)
    {
        var stored = node is IPropertyStoreNode owner ? await owner.StoredPropertiesAsync(context) : new Dictionary<XName, XElement>();
        var defined = All.Where(p => p.NodeType.IsInstanceOfType(node)).GroupBy(p => p.Name).Select(g => g.First()).ToList();
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

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? AvailableBytes(Account account)
        => account.QuotaBytes is { } quota ? Number(Math.Max(0, quota - account.UsedBytes)) : null;

    private static List<XElement> ResourceTypeOf(DavNode node)
    {
        var types = new List<XElement>();
        if (node.IsCollection)
            types.Add(new XElement(DavNames.Collection));
        if (node is PrincipalNode)
            types.Add(new XElement(Principal));
        if (node is ICalendarCollectionNode)
            types.Add(new XElement(DavNames.Calendar));
        if (node is IAddressBookCollectionNode)
            types.Add(new XElement(AddressBook));
        return types;
    }

    // The owner has every privilege on their own resources (sharing will narrow this for grantees).
    private static List<XElement> PrivilegeSet()
        => new[] { PrivilegeRead, PrivilegeWrite, PrivilegeWriteProperties, PrivilegeWriteContent, PrivilegeBind, PrivilegeUnbind, PrivilegeReadCurrentUserPrivilegeSet }
            .Select(p => new XElement(Privilege, new XElement(p))).ToList();
}
