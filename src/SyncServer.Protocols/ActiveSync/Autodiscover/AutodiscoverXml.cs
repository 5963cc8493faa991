using System.Globalization;
using System.Xml.Linq;
using SyncServer.Protocols.Dav;

namespace SyncServer.Protocols.ActiveSync.Autodiscover;

/// <summary>What a mobile client asks Autodiscover (MS-ASCMD 2.2.1.1): its address and the response schema it reads.</summary>
public sealed record AutodiscoverRequest(string EmailAddress, string AcceptableResponseSchema);

/// <summary>
/// The plain-old-XML Autodiscover of mobile clients (MS-ASCMD 2.2.1.1, schemas 6.1–6.4; client-requirements
/// EAS-AD-02/03). Requests are read with the same hardened reader as DAV bodies (no DTD, no resolver, limits). Pure.
/// </summary>
public static class AutodiscoverXml
{
    public static readonly XNamespace RequestSchema = "http://schemas.microsoft.com/exchange/autodiscover/mobilesync/requestschema/2006";
    public static readonly XNamespace ResponseSchema = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";

    /// <summary>The one response schema this server answers in (2.2.3.1).</summary>
    public static readonly XNamespace MobileSyncSchema = "http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006";

    /// <summary>Error codes of the Error response (2.2.3.64): a malformed request, an unknown response schema.</summary>
    public const int InvalidRequest = 600, NoProviderForSchema = 601;

    private static readonly DavXmlLimits Limits = new() { MaxDavBodySize = 64 * 1024, MaxDepth = 8, MaxElements = 100 };

    public static bool TryParse(ReadOnlySpan<byte> body, out AutodiscoverRequest? request)
    {
        request = null;
        if (!DavXml.TryParse(body, Limits, out var document, out _)
            || document?.Root is not { } root || root.Name != RequestSchema + "Autodiscover"
            || root.Element(RequestSchema + "Request") is not { } asked)
            return false;
        var address = ((string?)asked.Element(RequestSchema + "EMailAddress"))?.Trim();
        var schema = ((string?)asked.Element(RequestSchema + "AcceptableResponseSchema"))?.Trim();
        if (string.IsNullOrEmpty(address) || string.IsNullOrEmpty(schema))
            return false;
        request = new AutodiscoverRequest(address, schema);
        return true;
    }

    /// <summary>The "server settings" answer (4.2.4): the user and the one MobileSync URL.</summary>
    public static XDocument Settings(string displayName, string emailAddress, Uri activeSyncUrl)
    {
        XNamespace ms = MobileSyncSchema;
        return new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement(ResponseSchema + "Autodiscover",
            new XElement(ms + "Response",
                new XElement(ms + "Culture", "en:us"),
                new XElement(ms + "User", new XElement(ms + "DisplayName", displayName), new XElement(ms + "EMailAddress", emailAddress)),
                new XElement(ms + "Action", new XElement(ms + "Settings", new XElement(ms + "Server",
                    new XElement(ms + "Type", "MobileSync"),
                    new XElement(ms + "Url", activeSyncUrl.AbsoluteUri),
                    new XElement(ms + "Name", activeSyncUrl.AbsoluteUri)))))));
    }

    /// <summary>The Error answer (6.4): an error code, its message, and the time and an id as Exchange sends them.</summary>
    public static XDocument Error(int errorCode, DateTimeOffset now, string id)
        => new(new XDeclaration("1.0", "utf-8", null), new XElement(ResponseSchema + "Autodiscover",
            new XElement(ResponseSchema + "Response",
                new XElement(ResponseSchema + "Error",
                    new XAttribute("Time", now.UtcDateTime.ToString("HH:mm:ss.fffffff", CultureInfo.InvariantCulture)),
                    new XAttribute("Id", id),
                    new XElement(ResponseSchema + "ErrorCode", errorCode),
                    new XElement(ResponseSchema + "Message", errorCode == InvalidRequest ? "Invalid Request" : "Provider is not available"),
                    new XElement(ResponseSchema + "DebugData")))));
}
