using System.Xml.Linq;
using SyncServer.Core.Model;
using SyncServer.Protocols.Dav;
using SyncServer.Server.Dav.Nodes;

namespace SyncServer.Server.Dav;

/// <summary>
/// A calendar's supported-calendar-component-set (RFC 4791 §5.2.3): what MKCALENDAR set, else by kind — a task list holds
/// VTODO, a calendar VEVENT, VTODO and VJOURNAL.
/// </summary>
public static class CalendarComponents
{
    public static IReadOnlyList<string> Default(CollectionKind kind)
        => kind == CollectionKind.Tasks ? ["VTODO"] : ["VEVENT", "VTODO", "VJOURNAL"];

    public static async Task<IReadOnlyList<string>> OfAsync(DavContext context, ICalendarCollectionNode calendar)
    {
        var stored = await calendar.StoredPropertiesAsync(context);
        return stored.TryGetValue(DavNames.SupportedCalendarComponentSet, out var set)
            ? set.Elements(DavNames.Comp).Select(c => (c.Attribute("name")?.Value ?? "").ToUpperInvariant()).ToList()
            : Default(calendar.Collection.Kind);
    }

    public static async Task<object?> ElementAsync(DavContext context, ICalendarCollectionNode calendar)
        => Element(await OfAsync(context, calendar)).Elements().ToList();

    public static XElement Element(IEnumerable<string> components)
        => new(DavNames.SupportedCalendarComponentSet, components.Select(c => new XElement(DavNames.Comp, new XAttribute("name", c))));
}
