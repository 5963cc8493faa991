using System.Xml.Linq;

namespace SyncServer.Protocols.Dav;

/// <summary>What a sharee is given: read, read-write, or nothing (the share is withdrawn).</summary>
public enum ShareAccess
{
    Read = 1,
    ReadWrite = 2,
    None = 3,
}

/// <summary>One sharee of a share request: its href (a <c>mailto:</c> address or a principal URL), the access, and the optional name and note.</summary>
public sealed record ShareChange(string Href, ShareAccess Access, string? CommonName, string? Summary);

/// <summary>
/// The body of a sharing POST on a collection, in either of the two forms clients send: CalendarServer's <c>CS:share</c>
/// (caldav-sharing: <c>CS:set</c> with <c>DAV:href</c>, <c>CS:common-name</c>?, <c>CS:summary</c>?, <c>CS:read</c> | <c>CS:read-write</c>;
/// <c>CS:remove</c> with <c>DAV:href</c>), used by Apple Calendar and Evolution, and <c>DAV:share-resource</c>
/// (draft-pot-webdav-resource-sharing §5.3: <c>DAV:sharee</c> with <c>DAV:href</c>, <c>DAV:share-access</c> of <c>read</c>,
/// <c>read-write</c> or <c>no-access</c>), used by DAVx5 and Nextcloud. Pure: an XDocument in, changes or an error out.
/// </summary>
public static class ShareRequestParser
{
    /// <summary>Whether the document is a sharing request (so a POST is meant as one).</summary>
    public static bool IsShareRequest(XDocument document) => document.Root?.Name == DavNames.Share || document.Root?.Name == DavNames.ShareResource;

    /// <summary>
    /// The changes in document order, or null and why the body cannot be accepted (400). Elements the form does not define
    /// are ignored, as WebDAV ignores unknown XML (RFC 4918 §17).
    /// </summary>
    public static IReadOnlyList<ShareChange>? Parse(XDocument document, out string error)
    {
        var root = document.Root!;
        var changes = new List<ShareChange>();
        error = "";
        foreach (var element in root.Elements())
        {
            ShareChange? change;
            if (root.Name == DavNames.Share && element.Name == DavNames.ShareSet)
                change = CalendarServerSet(element);
            else if (root.Name == DavNames.Share && element.Name == DavNames.ShareRemove)
                change = Href(element) is { } href ? new ShareChange(href, ShareAccess.None, null, null) : null;
            else if (root.Name == DavNames.ShareResource && element.Name == DavNames.Sharee)
                change = Sharee(element);
            else
                continue;
            if (change is null)
            {
                error = $"{element.Name.LocalName} lacks an href or an access";
                return null;
            }
            changes.Add(change);
        }
        if (changes.Count == 0)
        {
            error = IsShareRequest(document) ? "no sharee named" : "not a share request";
            return null;
        }
        return changes;
    }

    private static ShareChange? CalendarServerSet(XElement set)
    {
        var access = set.Element(DavNames.AccessReadWrite) is not null ? ShareAccess.ReadWrite
            : set.Element(DavNames.AccessRead) is not null ? ShareAccess.Read
            : (ShareAccess?)null;
        return Href(set) is { } href && access is { } granted
            ? new ShareChange(href, granted, Text(set.Element(DavNames.CommonName)), Text(set.Element(DavNames.ShareSummary)))
            : null;
    }

    private static ShareChange? Sharee(XElement sharee)
    {
        var access = sharee.Element(DavNames.ShareAccess)?.Elements().Select(e => e.Name).FirstOrDefault() switch
        {
            var n when n == DavNames.ShareReadWrite => ShareAccess.ReadWrite,
            var n when n == DavNames.ShareRead => ShareAccess.Read,
            var n when n == DavNames.ShareNoAccess => ShareAccess.None,
            _ => (ShareAccess?)null,
        };
        return Href(sharee) is { } href && access is { } granted
            ? new ShareChange(href, granted, Text(sharee.Element(DavNames.Prop)?.Element(DavNames.DisplayName)), Text(sharee.Element(DavNames.ShareComment)))
            : null;
    }

    private static string? Href(XElement element) => Text(element.Element(DavNames.Href)) is { Length: > 0 } href ? href : null;

    private static string? Text(XElement? element) => element?.Value.Trim();
}
