using System.Text;
using System.Xml.Linq;

namespace SyncServer.Protocols.ActiveSync.Wbxml;

/// <summary>
/// Opaque data (WBXML OPAQUE, MS-ASWBXML 2.1.2.1) on an <see cref="XElement"/>: the bytes ride as an annotation on
/// an element that has no other content, rather than as base64 text, so a 50 MB MIME body is held once, as bytes,
/// instead of as a 90 MB base64 string that every consumer decodes again. ActiveSync sends MIME (ComposeMail
/// <c>Mime</c>, <c>AirSyncBase:Data</c> of type 4), <c>Email2:ConversationId</c>/<c>ConversationIndex</c> and
/// non-multipart ItemOperations <c>Data</c> as opaque.
/// </summary>
public sealed class WbxmlOpaque
{
    private WbxmlOpaque(ReadOnlyMemory<byte> bytes) => Bytes = bytes;

    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>An element the encoder writes as OPAQUE.</summary>
    public static XElement Element(XName name, ReadOnlyMemory<byte> bytes)
    {
        var element = new XElement(name);
        Attach(element, bytes);
        return element;
    }

    internal static void Attach(XElement element, ReadOnlyMemory<byte> bytes)
    {
        element.Value = string.Empty;
        element.AddAnnotation(new WbxmlOpaque(bytes));
    }

    /// <summary>The opaque bytes of an element, or null when it carries text or children instead.</summary>
    public static ReadOnlyMemory<byte>? Get(XElement element) => element.Annotation<WbxmlOpaque>()?.Bytes;

    /// <summary>
    /// The content of an element whose spec type is "string or opaque": the opaque bytes, or the UTF-8 of its text.
    /// Clients differ (iOS sends MIME as OPAQUE, Outlook as an inline string), so handlers read such values here.
    /// </summary>
    public static ReadOnlyMemory<byte> GetBytes(XElement element) =>
        Get(element) ?? Encoding.UTF8.GetBytes(element.Value);
}
