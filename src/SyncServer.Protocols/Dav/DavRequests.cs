using System.Xml.Linq;

namespace SyncServer.Protocols.Dav;

public enum PropFindKind
{
    Prop = 1,
    AllProp = 2,
    PropName = 3,
}

/// <summary>What a PROPFIND (or a report's <c>DAV:prop</c>) asks for. <see cref="Requested"/> keeps the asked elements (calendar-data may carry expand).</summary>
public sealed record PropFindRequest(PropFindKind Kind, IReadOnlyList<XElement> Requested)
{
    public static readonly PropFindRequest AllProperties = new(PropFindKind.AllProp, []);

    public IEnumerable<XName> Names => Requested.Select(e => e.Name);
}

/// <summary>One <c>set</c> or <c>remove</c> of a PROPPATCH or MKCOL, in document order.</summary>
public sealed record PropertyOperation(bool Remove, XElement Property);

public sealed record PropPatchRequest(IReadOnlyList<PropertyOperation> Operations);

/// <summary>An extended MKCOL (RFC 5689) or MKCALENDAR body: the properties to set; the resourcetype is among them for MKCOL.</summary>
public sealed record MkColRequest(IReadOnlyList<XElement> Properties);

public sealed record TimeRange(DateTimeOffset? Start, DateTimeOffset? End);

/// <summary>A REPORT body; the subclasses are the reports we implement.</summary>
public abstract record ReportRequest(XName Name, PropFindRequest Properties);

public sealed record MultigetRequest(XName Name, PropFindRequest Properties, IReadOnlyList<string> Hrefs) : ReportRequest(Name, Properties);

public sealed record SyncCollectionRequest(PropFindRequest Properties, string Token, int? Limit) : ReportRequest(DavNames.SyncCollection, Properties);

public sealed record FreeBusyQueryRequest(TimeRange Range) : ReportRequest(DavNames.FreeBusyQuery, PropFindRequest.AllProperties);

/// <summary>A report we parse only far enough to know its name (the handler reads the rest), e.g. calendar-query's filter.</summary>
public sealed record FilteredReportRequest(XName Name, PropFindRequest Properties, XElement Body) : ReportRequest(Name, Properties);

/// <summary>Turns parsed DAV XML into typed requests. Each method returns null and an error text for a body it cannot accept (400).</summary>
public static class DavRequestParser
{
    public static PropFindRequest? ParsePropFind(XDocument? document, out string error)
    {
        error = "";
        if (document is null)
            return PropFindRequest.AllProperties; // RFC 4918 §9.1: no body means allprop
        var root = document.Root!;
        if (root.Name != DavNames.PropFind)
        {
            error = "expected DAV:propfind";
            return null;
        }
        return ParseProperties(root, out error);
    }

    public static PropPatchRequest? ParsePropPatch(XDocument document, out string error)
    {
        error = "";
        var root = document.Root!;
        if (root.Name != DavNames.PropertyUpdate)
        {
            error = "expected DAV:propertyupdate";
            return null;
        }
        var operations = new List<PropertyOperation>();
        foreach (var step in root.Elements())
        {
            if (step.Name != DavNames.Set && step.Name != DavNames.Remove)
                continue;
            foreach (var property in step.Elements(DavNames.Prop).Elements())
                operations.Add(new PropertyOperation(step.Name == DavNames.Remove, property));
        }
        if (operations.Count == 0)
        {
            error = "propertyupdate without properties";
            return null;
        }
        return new PropPatchRequest(operations);
    }

    public static MkColRequest? ParseMkCol(XDocument? document, XName expectedRoot, out string error)
    {
        error = "";
        if (document is null)
            return new MkColRequest([]);
        var root = document.Root!;
        if (root.Name != expectedRoot)
        {
            error = $"expected {expectedRoot}";
            return null;
        }
        return new MkColRequest(root.Elements(DavNames.Set).Elements(DavNames.Prop).Elements().ToList());
    }

    public static ReportRequest? ParseReport(XDocument document, out string error)
    {
        error = "";
        var root = document.Root!;
        var properties = ParseProperties(root, out error);
        if (properties is null)
            return null;
        if (root.Name == DavNames.CalendarMultiget || root.Name == DavNames.AddressBookMultiget)
            return new MultigetRequest(root.Name, properties, root.Elements(DavNames.Href).Select(h => h.Value.Trim()).ToList());
        if (root.Name == DavNames.SyncCollection)
        {
            var token = root.Element(DavNames.SyncToken)?.Value.Trim() ?? "";
            int? limit = null;
            if (root.Element(DavNames.Limit)?.Element(DavNames.NResults) is { } nresults)
            {
                if (!int.TryParse(nresults.Value.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < 1)
                {
                    error = "nresults must be a positive integer";
                    return null;
                }
                limit = n;
            }
            return new SyncCollectionRequest(properties, token, limit);
        }
        if (root.Name == DavNames.FreeBusyQuery)
        {
            var range = ParseTimeRange(root.Element(DavNames.TimeRange), out error);
            return range is null ? null : new FreeBusyQueryRequest(range);
        }
        return new FilteredReportRequest(root.Name, properties, root);
    }

    /// <summary>Reads a CalDAV <c>time-range</c> (RFC 4791 §9.9): UTC date-times <c>yyyyMMddTHHmmssZ</c>, at least one bound.</summary>
    public static TimeRange? ParseTimeRange(XElement? element, out string error)
    {
        error = "";
        if (element is null)
        {
            error = "time-range missing";
            return null;
        }
        var start = ParseUtc(element.Attribute("start")?.Value, out var startOk);
        var end = ParseUtc(element.Attribute("end")?.Value, out var endOk);
        if (!startOk || !endOk || (start is null && end is null) || (start is { } s && end is { } e && e <= s))
        {
            error = "invalid time-range";
            return null;
        }
        return new TimeRange(start, end);
    }

    private static DateTimeOffset? ParseUtc(string? text, out bool ok)
    {
        ok = true;
        if (text is null)
            return null;
        ok = DateTimeOffset.TryParseExact(text, "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var value);
        return ok ? value : null;
    }

    private static PropFindRequest? ParseProperties(XElement root, out string error)
    {
        error = "";
        if (root.Element(DavNames.PropName) is not null)
            return new PropFindRequest(PropFindKind.PropName, []);
        if (root.Element(DavNames.AllProp) is not null)
            return new PropFindRequest(PropFindKind.AllProp, root.Element(DavNames.Include)?.Elements().ToList() ?? []);
        if (root.Element(DavNames.Prop) is { } prop)
            return new PropFindRequest(PropFindKind.Prop, prop.Elements().ToList());
        if (root.Name == DavNames.PropFind)
        {
            error = "propfind needs prop, allprop or propname";
            return null;
        }
        return new PropFindRequest(PropFindKind.Prop, []);
    }
}
