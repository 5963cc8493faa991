using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;

namespace SyncServer.Protocols.CalDav;

/// <summary>
/// Evaluates a calendar-query filter (RFC 4791 §9.7) against one calendar object. Time ranges on components use the
/// expanded instances (RRULE, RDATE, EXDATE, overridden instances), so a recurring master matches when any instance overlaps.
/// </summary>
public static class CalendarFilterEvaluator
{
    public static bool Matches(CalendarObject calendarObject, CompFilter filter)
        => MatchesComponent(calendarObject, calendarObject.Calendar, filter);

    /// <summary>
    /// A time range every object matching <paramref name="filter"/> has an instance in (the one on a VEVENT, VTODO or VJOURNAL
    /// comp-filter directly under VCALENDAR), or null; a store prefilter on objects' time spans may use it.
    /// </summary>
    public static Dav.TimeRange? RequiredTimeRange(CompFilter filter)
        => filter is { IsNotDefined: false } && string.Equals(filter.Name, "VCALENDAR", StringComparison.OrdinalIgnoreCase)
            ? filter.CompFilters.FirstOrDefault(c => c is { IsNotDefined: false, TimeRange: not null } && SpannedComponents.Contains(c.Name.ToUpperInvariant()))?.TimeRange
            : null;

    /// <summary>The components whose time-range test is over the object's instances (<see cref="InTimeRange"/>).</summary>
    private static readonly string[] SpannedComponents = ["VEVENT", "VTODO", "VJOURNAL"];

    private static bool MatchesComponent(CalendarObject calendarObject, CalendarComponent component, CompFilter filter)
    {
        if (!string.Equals(component.Name, filter.Name, StringComparison.OrdinalIgnoreCase))
            return false;
        if (filter.IsNotDefined)
            return false;
        if (filter.TimeRange is { } range && !InTimeRange(calendarObject, component, range))
            return false;
        foreach (var prop in filter.PropFilters)
        {
            if (!MatchesProperty(component, prop))
                return false;
        }
        foreach (var child in filter.CompFilters)
        {
            var children = component.Children.OfType<CalendarComponent>().Where(c => string.Equals(c.Name, child.Name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (child.IsNotDefined)
            {
                if (children.Count > 0)
                    return false;
                continue;
            }
            if (!children.Any(c => MatchesComponent(calendarObject, c, child)))
                return false;
        }
        return true;
    }

    private static bool InTimeRange(CalendarObject calendarObject, CalendarComponent component, Dav.TimeRange range)
    {
        if (component is RecurringComponent recurring && calendarObject.Components.Contains(recurring))
        {
            if (component is Todo todo && todo.DtStart is null)
                return TodoWithoutStartOverlaps(todo, range);
            try
            {
                return calendarObject.Instances(range.Start, range.End, limit: 100_000).Any();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                return true; // a time zone we cannot resolve: include rather than lose the object
            }
        }
        return true; // VALARM and VTIMEZONE ranges are not evaluated: the enclosing component decides
    }

    // RFC 4791 §9.9 VTODO table, rows without DTSTART.
    private static bool TodoWithoutStartOverlaps(Todo todo, Dav.TimeRange range)
    {
        if (todo.Due is { } due)
        {
            var d = CalendarObject.Utc(due);
            return CalendarObject.Overlaps(d, d, range.Start, range.End) || (range.Start is { } s && d > s && (range.End is not { } e || d <= e));
        }
        var completed = todo.Completed is { } c ? CalendarObject.Utc(c) : (DateTimeOffset?)null;
        var created = todo.Created is { } cr ? CalendarObject.Utc(cr) : (DateTimeOffset?)null;
        if (completed is { } done && created is { } made)
            return (range.Start is not { } s1 || done >= s1 || made >= s1) && (range.End is not { } e1 || made <= e1 || done <= e1);
        if ((completed ?? created) is { } one)
            return (range.Start is not { } s2 || one >= s2) && (range.End is not { } e2 || one < e2);
        return true;
    }

    private static bool MatchesProperty(CalendarComponent component, PropFilter filter)
    {
        var properties = component.Properties.Where(p => string.Equals(p.Name, filter.Name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (filter.IsNotDefined)
            return properties.Count == 0;
        return properties.Any(p => MatchesPropertyValue(p, filter));
    }

    private static bool MatchesPropertyValue(ICalendarProperty property, PropFilter filter)
    {
        if (filter.TimeRange is { } range)
        {
            if (property.Value is not CalDateTime value)
                return false;
            var at = CalendarObject.Utc(value);
            if (!CalendarObject.Overlaps(at, at, range.Start, range.End))
                return false;
        }
        if (filter.TextMatch is { } text && !property.Values.Any(v => text.Matches(TextOf(v))))
            return false;
        foreach (var parameter in filter.ParamFilters)
        {
            var values = property.Parameters.GetMany(parameter.Name);
            if (parameter.IsNotDefined ? values.Count > 0 : values.Count == 0)
                return false;
            if (parameter.TextMatch is { } match && !values.Any(match.Matches))
                return false;
        }
        return true;
    }

    private static string? TextOf(object? value) => value switch
    {
        null => null,
        string s => s,
        IEnumerable<string> list => string.Join(",", list),
        _ => value.ToString(),
    };
}
