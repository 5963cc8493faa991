using System.Xml.Linq;
using SyncServer.Protocols.Dav;

namespace SyncServer.Protocols.CalDav;

/// <summary>RFC 4791 §9.7.5 text-match: a substring test under a collation, possibly negated.</summary>
public sealed record TextMatch(string Text, string Collation, bool Negate)
{
    public bool Matches(string? value)
    {
        if (value is null)
            return false;
        var comparison = Collation == "i;octet" ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        return value.Contains(Text, comparison) != Negate;
    }
}

/// <summary>RFC 4791 §9.7.3 param-filter.</summary>
public sealed record ParamFilter(string Name, bool IsNotDefined, TextMatch? TextMatch);

/// <summary>RFC 4791 §9.7.2 prop-filter.</summary>
public sealed record PropFilter(string Name, bool IsNotDefined, TimeRange? TimeRange, TextMatch? TextMatch, IReadOnlyList<ParamFilter> ParamFilters);

/// <summary>RFC 4791 §9.7.1 comp-filter (the filter's root is the VCALENDAR comp-filter).</summary>
public sealed record CompFilter(string Name, bool IsNotDefined, TimeRange? TimeRange, IReadOnlyList<PropFilter> PropFilters, IReadOnlyList<CompFilter> CompFilters);

/// <summary>What a calendar-query's <c>calendar-data</c> asks besides the data itself (RFC 4791 §9.6.5–9.6.6).</summary>
public sealed record CalendarDataRequest(TimeRange? Expand, TimeRange? LimitRecurrenceSet);

/// <summary>Parses CalDAV filter XML into the model; a malformed filter is <c>valid-filter</c> (403 in RFC 4791 §7.7, 400 here when not even XML-valid).</summary>
public static class CalendarFilterParser
{
    public const int MaxTextMatchLength = 1024;

    public static CompFilter? Parse(XElement? filter, out string error)
    {
        error = "";
        var root = filter?.Element(DavNames.CompFilter);
        if (root is null || !string.Equals(root.Attribute("name")?.Value, "VCALENDAR", StringComparison.OrdinalIgnoreCase))
        {
            error = "filter must hold one VCALENDAR comp-filter";
            return null;
        }
        return ParseComp(root, ref error);
    }

    public static CalendarDataRequest ParseCalendarData(XElement? calendarData, out string error)
    {
        error = "";
        TimeRange? expand = null, limit = null;
        if (calendarData?.Element(DavNames.Expand) is { } e)
            expand = DavRequestParser.ParseTimeRange(e, out error);
        if (calendarData?.Element(DavNames.LimitRecurrenceSet) is { } l)
            limit = DavRequestParser.ParseTimeRange(l, out error);
        return new CalendarDataRequest(expand, limit);
    }

    private static CompFilter? ParseComp(XElement element, ref string error)
    {
        var name = element.Attribute("name")?.Value;
        if (string.IsNullOrEmpty(name))
        {
            error = "comp-filter without name";
            return null;
        }
        TimeRange? range = null;
        if (element.Element(DavNames.TimeRange) is { } t && (range = DavRequestParser.ParseTimeRange(t, out error)) is null)
            return null;
        var props = new List<PropFilter>();
        foreach (var p in element.Elements(DavNames.PropFilter))
        {
            if (ParseProp(p, ref error) is not { } prop)
                return null;
            props.Add(prop);
        }
        var comps = new List<CompFilter>();
        foreach (var c in element.Elements(DavNames.CompFilter))
        {
            if (ParseComp(c, ref error) is not { } comp)
                return null;
            comps.Add(comp);
        }
        return new CompFilter(name.ToUpperInvariant(), element.Element(DavNames.IsNotDefined) is not null, range, props, comps);
    }

    private static PropFilter? ParseProp(XElement element, ref string error)
    {
        var name = element.Attribute("name")?.Value;
        if (string.IsNullOrEmpty(name))
        {
            error = "prop-filter without name";
            return null;
        }
        TimeRange? range = null;
        if (element.Element(DavNames.TimeRange) is { } t && (range = DavRequestParser.ParseTimeRange(t, out error)) is null)
            return null;
        var parameters = new List<ParamFilter>();
        foreach (var p in element.Elements(DavNames.ParamFilter))
        {
            var pname = p.Attribute("name")?.Value;
            if (string.IsNullOrEmpty(pname))
            {
                error = "param-filter without name";
                return null;
            }
            parameters.Add(new ParamFilter(pname.ToUpperInvariant(), p.Element(DavNames.IsNotDefined) is not null, ParseTextMatch(p.Element(DavNames.TextMatch), ref error)));
        }
        var text = ParseTextMatch(element.Element(DavNames.TextMatch), ref error);
        return error.Length > 0 ? null : new PropFilter(name.ToUpperInvariant(), element.Element(DavNames.IsNotDefined) is not null, range, text, parameters);
    }

    /// <summary>Also used for CardDAV-style matching; collations other than octet and ascii/unicode casemap are refused.</summary>
    public static TextMatch? ParseTextMatch(XElement? element, ref string error)
    {
        if (element is null)
            return null;
        var collation = element.Attribute("collation")?.Value ?? "i;ascii-casemap";
        if (collation is not ("i;octet" or "i;ascii-casemap" or "i;unicode-casemap") || element.Value.Length > MaxTextMatchLength)
        {
            error = "unsupported collation or text-match too long";
            return null;
        }
        var negate = element.Attribute("negate-condition")?.Value == "yes";
        return new TextMatch(element.Value, collation, negate);
    }
}
