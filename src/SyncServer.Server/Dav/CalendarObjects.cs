using System.Xml.Linq;
using SyncServer.Core.Model;
using SyncServer.Protocols.CalDav;
using SyncServer.Protocols.Dav;
using SyncServer.Server.Dav.Nodes;

namespace SyncServer.Server.Dav;

/// <summary>Calendar objects as the store keeps them: the index of a parsed object, and calendar-data as a client asks for it.</summary>
public static class CalendarObjects
{
    /// <summary>
    /// The stored text, or (RFC 4791 §9.6.5 <c>expand</c>) the instances in the asked range as separate UTC components, or
    /// (§9.6.6 <c>limit-recurrence-set</c>) the text without the overridden instances outside the asked range.
    /// </summary>
    public static async Task<object?> CalendarDataAsync(DavContext context, CalendarObjectNode node, XElement asked)
    {
        var text = await DavProperties.TextAsync(context, node.Item);
        var request = CalendarFilterParser.ParseCalendarData(asked, out _);
        if (request is { Expand: null, LimitRecurrenceSet: null } || CalendarObject.TryParse(text, out _) is not { } parsed)
            return text;
        return request.Expand is { } range ? CalendarData.Expand(parsed, range) : CalendarData.LimitRecurrenceSet(text, parsed, request.LimitRecurrenceSet!);
    }

    /// <summary>
    /// Parses the members of a calendar once (for query and free-busy), skipping any that no longer parse. With a
    /// <paramref name="range"/>, only the members whose indexed time span meets it are read (the store's prefilter; the
    /// caller's exact test then decides on each).
    /// </summary>
    public static async Task<List<(CalendarObjectNode Node, CalendarObject Object)>> LoadAsync(DavContext context, CalendarNode calendar, TimeRange? range = null)
    {
        var members = range is null
            ? (await calendar.ChildrenAsync(context)).Cast<CalendarObjectNode>()
            : (await context.Store.ListItemsInTimeSpanAsync(calendar.Collection.Id, range.Start, range.End, context.Options.MaxResults, context.Aborted))
                .Select(item => (CalendarObjectNode)calendar.Member(item));
        var loaded = new List<(CalendarObjectNode, CalendarObject)>();
        foreach (var member in members)
        {
            if (CalendarObject.TryParse(await DavProperties.TextAsync(context, member.Item), out _) is { } parsed)
                loaded.Add((member, parsed));
        }
        return loaded;
    }
}
