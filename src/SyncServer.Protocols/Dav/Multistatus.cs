using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace SyncServer.Protocols.Dav;

/// <summary>One <c>propstat</c>: properties sharing one status.</summary>
public sealed record DavPropStat(int Status, IReadOnlyList<XElement> Properties);

/// <summary>One <c>response</c> of a multistatus: either propstats, or a bare status (e.g. a removed member in sync-collection).</summary>
public sealed record DavResponse(string Href, IReadOnlyList<DavPropStat> PropStats, int? Status = null, XName? Error = null);

public sealed record Multistatus(IReadOnlyList<DavResponse> Responses, string? SyncToken = null);

/// <summary>Serialises DAV responses (RFC 4918 §14.16) as UTF-8 without BOM, with the usual prefixes declared on the root.</summary>
public static class MultistatusWriter
{
    private static readonly (string Prefix, XNamespace Namespace)[] Prefixes =
    [
        ("d", DavNames.Dav), ("cal", DavNames.CalDav), ("card", DavNames.CardDav), ("cs", DavNames.CalendarServer), ("ical", DavNames.AppleICal),
    ];

    /// <summary>The multistatus document; with <paramref name="minimal"/> (RFC 8144 <c>Prefer: return=minimal</c>) 404 propstats are left out.</summary>
    public static byte[] Write(Multistatus multistatus, bool minimal)
    {
        var root = Root(DavNames.Multistatus);
        foreach (var response in multistatus.Responses)
        {
            var element = new XElement(DavNames.Response, new XElement(DavNames.Href, response.Href));
            if (response.Status is { } status)
                element.Add(new XElement(DavNames.Status, StatusLine(status)));
            foreach (var propStat in response.PropStats)
            {
                if (minimal && propStat.Status == 404)
                    continue;
                element.Add(new XElement(DavNames.Propstat,
                    new XElement(DavNames.Prop, propStat.Properties.Select(p => new XElement(p))),
                    new XElement(DavNames.Status, StatusLine(propStat.Status))));
            }
            if (response.Error is { } error)
                element.Add(new XElement(DavNames.Error, new XElement(error)));
            root.Add(element);
        }
        if (multistatus.SyncToken is { } token)
            root.Add(new XElement(DavNames.SyncToken, token));
        return Serialize(root);
    }

    /// <summary>A <c>DAV:error</c> body naming one failed precondition or postcondition (RFC 4918 §16).</summary>
    public static byte[] WriteError(XName condition) => WriteError(new XElement(condition));

    /// <summary>A <c>DAV:error</c> body with a condition that carries content (e.g. RFC 3744 §7.1.1 need-privileges).</summary>
    public static byte[] WriteError(XElement condition) => Serialize(Root(DavNames.Error, condition));

    /// <summary>An extended MKCOL / MKCALENDAR response body listing each property's status (RFC 5689 §3.3).</summary>
    public static byte[] WritePropStatOnly(XName rootName, IReadOnlyList<DavPropStat> propStats)
    {
        var root = Root(rootName);
        foreach (var propStat in propStats)
        {
            root.Add(new XElement(DavNames.Propstat,
                new XElement(DavNames.Prop, propStat.Properties.Select(p => new XElement(p.Name))),
                new XElement(DavNames.Status, StatusLine(propStat.Status))));
        }
        return Serialize(root);
    }

    /// <summary>
    /// The answer to a free-busy POST on a schedule outbox (CalDAV scheduling, RFC 6638 appendix B / draft §6.1.4): per
    /// recipient its request-status and, when it has one, the VFREEBUSY reply.
    /// </summary>
    public static byte[] WriteScheduleResponse(IEnumerable<(string Recipient, string RequestStatus, string? CalendarData)> responses)
        => Serialize(Root(DavNames.ScheduleResponse, responses.Select(r => new XElement(DavNames.ScheduleResponseItem,
            new XElement(DavNames.Recipient, new XElement(DavNames.Href, r.Recipient)),
            new XElement(DavNames.RequestStatus, r.RequestStatus),
            r.CalendarData is null ? null : new XElement(DavNames.CalendarDataType, r.CalendarData)))));

    public static string StatusLine(int status) => $"HTTP/1.1 {status} {Reason(status)}";

    private static XElement Root(XName name, params object[] content)
    {
        var root = new XElement(name, content);
        foreach (var (prefix, ns) in Prefixes)
            root.SetAttributeValue(XNamespace.Xmlns + prefix, ns.NamespaceName);
        return root;
    }

    private static byte[] Serialize(XElement root)
    {
        using var output = new MemoryStream();
        using (var writer = XmlWriter.Create(output, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, NamespaceHandling = NamespaceHandling.OmitDuplicates }))
            new XDocument(new XDeclaration("1.0", "utf-8", null), root).Save(writer);
        return output.ToArray();
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        207 => "Multi-Status",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        412 => "Precondition Failed",
        424 => "Failed Dependency",
        507 => "Insufficient Storage",
        _ => "Status",
    };
}
