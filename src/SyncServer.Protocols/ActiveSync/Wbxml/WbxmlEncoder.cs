using System.Buffers;
using System.Text;
using System.Xml.Linq;
using static SyncServer.Protocols.ActiveSync.Wbxml.WbxmlToken;

namespace SyncServer.Protocols.ActiveSync.Wbxml;

/// <summary>
/// Encodes an <see cref="XElement"/> tree as ActiveSync WBXML (MS-ASWBXML 2.1.2), deterministically: the header
/// <c>03 01 6A 00</c> (WBXML 1.3, unknown public id, UTF-8, empty string table), SWITCH_PAGE only when the next
/// tag's page differs from the current one (the page is document state that END does not reset), a tag without
/// the content bit for an empty element (<c>IsEmpty</c>), STR_I for text (an element with empty text becomes
/// <c>STR_I ""</c>, keeping it distinct from an empty element), OPAQUE for elements made with
/// <see cref="WbxmlOpaque.Element"/>. The string table is never used.
/// </summary>
/// <remarks>
/// The tree is built by our own handlers, so a name outside the code pages, an attribute, or a NUL in text
/// (which STR_I cannot carry — use opaque) is a bug in the caller and throws <see cref="ArgumentException"/>.
/// </remarks>
public static class WbxmlEncoder
{
    private static ReadOnlySpan<byte> Header => [Version13, UnknownPublicId, Utf8Charset, 0x00];

    public static void Encode(XElement root, IBufferWriter<byte> output)
    {
        output.Write(Header);
        var page = WbxmlCodePages.AirSync.Number;
        WriteElement(root, output, ref page);
    }

    /// <summary>Convenience for tests and small documents.</summary>
    public static byte[] Encode(XElement root)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Encode(root, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteElement(XElement element, IBufferWriter<byte> output, ref byte page)
    {
        if (!WbxmlCodePages.ByName.TryGetValue(element.Name, out var tag))
            throw new ArgumentException($"{element.Name} is on no ActiveSync code page", nameof(element));
        if (element.Attributes().Any(a => !a.IsNamespaceDeclaration))
            throw new ArgumentException($"{element.Name} has attributes, which ActiveSync cannot carry", nameof(element));
        if (tag.Page != page)
        {
            output.Write([SwitchPage, tag.Page]);
            page = tag.Page;
        }

        if (WbxmlOpaque.Get(element) is { } opaque)
        {
            if (element.HasElements || element.Value.Length > 0)
                throw new ArgumentException($"opaque {element.Name} has other content too", nameof(element));
            output.Write([(byte)(tag.Token | HasContent), Opaque]);
            WriteMultiByte((uint)opaque.Length, output);
            output.Write(opaque.Span);
            output.Write([End]);
            return;
        }
        if (element.IsEmpty)
        {
            output.Write([tag.Token]);
            return;
        }

        output.Write([(byte)(tag.Token | HasContent)]);
        if (element.FirstNode is null)
            WriteString(string.Empty, element, output);
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText text:
                    WriteString(text.Value, element, output);
                    break;
                case XElement child:
                    WriteElement(child, output, ref page);
                    break;
                default:
                    throw new ArgumentException($"{element.Name} contains a {node.NodeType}", nameof(element));
            }
        }
        output.Write([End]);
    }

    private static void WriteString(string text, XElement element, IBufferWriter<byte> output)
    {
        if (text.Contains('\0'))
            throw new ArgumentException($"text of {element.Name} contains NUL; send it as opaque", nameof(element));
        output.Write([StrI]);
        Encoding.UTF8.GetBytes(text.AsSpan(), output);
        output.Write([(byte)0x00]);
    }

    /// <summary>mb_u_int32 (WAP-192-WBXML §5.1): big-endian base-128, continuation bit on all but the last byte.</summary>
    private static void WriteMultiByte(uint value, IBufferWriter<byte> output)
    {
        Span<byte> bytes = stackalloc byte[5];
        var start = bytes.Length;
        var continuation = 0u;
        do
        {
            bytes[--start] = (byte)((value & 0x7F) | continuation);
            continuation = 0x80;
            value >>= 7;
        } while (value != 0);
        output.Write(bytes[start..]);
    }
}
