using MimeKit.Encodings;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Messages;

/// <summary>
/// BINARY[part] and BINARY.SIZE[part] (RFC 3516 §4.2–4.3): a part's stored content with its content transfer
/// encoding removed. The whole message (an empty part) and multipart or message parts are returned as stored.
/// </summary>
public static class BinarySections
{
    /// <summary>The decoded octets (empty when there is no such part); null when the encoding is unknown ([UNKNOWN-CTE]).</summary>
    public static ReadOnlyMemory<byte>? Read(MessageContent content, IReadOnlyList<uint> part)
    {
        if (part.Count == 0)
            return content.Slice(content.Structure.Begin, content.Structure.End);
        if (BodySections.Find(content.Structure, part) is not { } found)
            return ReadOnlyMemory<byte>.Empty;
        var raw = content.Slice(found.HeadersEnd, found.End);
        if (found.IsMultipart || found.IsMessage)
            return raw;
        IMimeDecoder? decoder;
        switch (found.Encoding.Trim().ToUpperInvariant())
        {
            case "7BIT" or "8BIT" or "BINARY":
                return raw;
            case "BASE64":
                decoder = new Base64Decoder();
                break;
            case "QUOTED-PRINTABLE":
                decoder = new QuotedPrintableDecoder();
                break;
            case "X-UUENCODE" or "UUENCODE":
                decoder = new UUDecoder();
                break;
            default:
                return null;
        }
        var input = raw.ToArray();
        var output = new byte[decoder.EstimateOutputLength(input.Length)];
        return output.AsMemory(0, decoder.Decode(input, 0, input.Length, output));
    }

    public static string Name(FetchBinary binary) =>
        binary.Partial is { } p ? $"BINARY[{PartName(binary.Part)}]<{p.Offset}>" : $"BINARY[{PartName(binary.Part)}]";

    public static string SizeName(FetchBinarySize size) => $"BINARY.SIZE[{PartName(size.Part)}]";

    /// <summary>Literal8 only when it must be: the decoded content holds NUL (RFC 3516 §4.2).</summary>
    public static ImapString Value(ReadOnlyMemory<byte> octets) => new(octets, Binary: octets.Span.Contains((byte)0));

    private static string PartName(IReadOnlyList<uint> part) => string.Join('.', part);
}
