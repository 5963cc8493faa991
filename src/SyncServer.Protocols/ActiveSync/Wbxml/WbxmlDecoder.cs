using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;
using System.Xml.Linq;
using static SyncServer.Protocols.ActiveSync.Wbxml.WbxmlToken;

namespace SyncServer.Protocols.ActiveSync.Wbxml;

/// <summary>
/// Decodes a whole ActiveSync WBXML document (MS-ASWBXML 2.1.2: WBXML 1.3, the code pages of
/// <see cref="WbxmlCodePages"/>) into an <see cref="XElement"/> tree. Pure: no I/O; every input, however
/// malformed, ends in an element or a <see cref="WbxmlError"/>, never an exception. The decoder is not
/// incremental — an ActiveSync body is read whole (Content-Length, <see cref="WbxmlLimits.MaxInputSize"/>) before
/// the command can start — and it does not recurse, so nesting depth costs heap, not stack.
/// </summary>
/// <remarks>
/// Element content: a tag without the content bit is an empty element (<c>IsEmpty</c>, e.g. <c>&lt;GetChanges/&gt;</c>);
/// a tag with it and no content is an element with empty text, which some commands treat differently
/// (EAS-WBXML-03). STR_I and STR_T become text; OPAQUE becomes a <see cref="WbxmlOpaque"/> annotation.
/// A non-empty string table is accepted and STR_T resolved against it (some clients are said to send one);
/// ActiveSync itself never writes one.
/// </remarks>
public static class WbxmlDecoder
{
    /// <summary>Decodes a body held in one buffer.</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> input, WbxmlLimits limits,
        [NotNullWhen(true)] out XElement? root, [NotNullWhen(false)] out WbxmlError? error) =>
        TryDecode(new ReadOnlySequence<byte>(input), limits, out root, out error);

    /// <summary>Decodes a body as a <c>PipeReader</c> buffered it, without copying it into one array first.</summary>
    public static bool TryDecode(ReadOnlySequence<byte> input, WbxmlLimits limits,
        [NotNullWhen(true)] out XElement? root, [NotNullWhen(false)] out WbxmlError? error)
    {
        root = null;
        if (input.Length > limits.MaxInputSize)
        {
            error = new(limits.MaxInputSize, WbxmlErrorKind.InputTooLarge,
                $"document of {input.Length} bytes exceeds {limits.MaxInputSize}");
            return false;
        }
        var reader = new SequenceReader<byte>(input);
        error = ReadHeader(ref reader, out var stringTable) ?? ReadBody(ref reader, limits, stringTable, out root);
        if (error is not null)
            root = null; // the partial tree is not a document
        return error is null;
    }

    // WAP-192-WBXML §5.3: version, publicid, charset, strtbl.
    private static WbxmlError? ReadHeader(ref SequenceReader<byte> reader, out byte[] stringTable)
    {
        stringTable = [];
        if (!reader.TryRead(out var version))
            return Truncated(reader.Consumed, "missing header");
        if (version != Version13)
            return new(0, WbxmlErrorKind.UnsupportedVersion, $"version 0x{version:X2}, expected 0x03 (WBXML 1.3)");
        // A public id of 0 is followed by its index into the string table; the value itself is informational.
        if (ReadMultiByte(ref reader, out var publicId) is { } publicIdError)
            return publicIdError;
        if (publicId == 0 && ReadMultiByte(ref reader, out _) is { } indexError)
            return indexError;
        var charsetOffset = reader.Consumed;
        if (ReadMultiByte(ref reader, out var charset) is { } charsetError)
            return charsetError;
        if (charset != Utf8Charset)
            return new(charsetOffset, WbxmlErrorKind.UnsupportedCharset, $"charset {charset}, expected 106 (UTF-8)");
        var lengthOffset = reader.Consumed;
        if (ReadMultiByte(ref reader, out var length) is { } lengthError)
            return lengthError;
        if (length > reader.Remaining)
            return Truncated(lengthOffset, $"string table of {length} bytes, {reader.Remaining} left");
        stringTable = new byte[length];
        reader.TryCopyTo(stringTable);
        reader.Advance(length);
        return null;
    }

    private static WbxmlError? ReadBody(ref SequenceReader<byte> reader, WbxmlLimits limits, byte[] stringTable,
        out XElement? root)
    {
        root = null;
        var open = new List<XElement>();
        var page = WbxmlCodePages.AirSync;
        var elements = 0;
        while (true)
        {
            var offset = reader.Consumed;
            if (!reader.TryRead(out var token))
                return Truncated(offset, root is null ? "no root element" : $"{open.Count} element(s) still open");
            var current = open.Count > 0 ? open[^1] : null;
            switch (token)
            {
                case SwitchPage:
                    if (!reader.TryRead(out var number))
                        return Truncated(reader.Consumed, "SWITCH_PAGE without a page");
                    if (number >= WbxmlCodePages.All.Count)
                        return new(offset, WbxmlErrorKind.UnknownCodePage, $"code page {number}");
                    page = WbxmlCodePages.All[number];
                    continue;

                case End:
                    if (current is null)
                        return Unexpected(offset, "END before the root element");
                    // A tag with the content bit but no content is "<X></X>", which is not "<X/>".
                    if (current.IsEmpty)
                        current.Value = string.Empty;
                    open.RemoveAt(open.Count - 1);
                    if (open.Count == 0)
                        return EndOfDocument(ref reader);
                    continue;

                case StrI:
                case StrT:
                    if (current is null || WbxmlOpaque.Get(current) is not null)
                        return Unexpected(offset, "text outside an element or beside opaque data");
                    var text = token == StrI
                        ? ReadInlineString(ref reader, limits, out var stringError)
                        : ReadTableString(ref reader, stringTable, out stringError);
                    if (stringError is not null)
                        return stringError;
                    current.Add(text);
                    continue;

                case Opaque:
                    if (current is null || !current.IsEmpty)
                        return Unexpected(offset, "opaque data outside an element or beside other content");
                    if (ReadOpaque(ref reader, limits, out var bytes) is { } opaqueError)
                        return opaqueError;
                    WbxmlOpaque.Attach(current, bytes);
                    continue;
            }

            if ((token & TagMask) < FirstTag)
                return new(offset, WbxmlErrorKind.UnsupportedToken, $"global token 0x{token:X2} is not used by ActiveSync");
            if ((token & HasAttributes) != 0)
                return new(offset, WbxmlErrorKind.AttributesNotSupported, $"tag 0x{token:X2} has attributes");
            if (!page.TryGetName(token & TagMask, out var name))
                return new(offset, WbxmlErrorKind.UnknownTag,
                    $"token 0x{token & TagMask:X2} is not defined on code page {page.Number} ({page.Namespace})");
            if (current is not null && WbxmlOpaque.Get(current) is not null)
                return Unexpected(offset, "element beside opaque data");
            if (++elements > limits.MaxElements)
                return new(offset, WbxmlErrorKind.TooManyElements, $"more than {limits.MaxElements} elements");
            if (open.Count >= limits.MaxDepth)
                return new(offset, WbxmlErrorKind.TooDeep, $"elements nested deeper than {limits.MaxDepth}");

            var element = new XElement(name);
            if (current is null)
                root = element;
            else
                current.Add(element);
            if ((token & HasContent) != 0)
                open.Add(element);
            else if (current is null)
                return EndOfDocument(ref reader);
        }
    }

    private static WbxmlError? EndOfDocument(ref SequenceReader<byte> reader) =>
        reader.End ? null : Unexpected(reader.Consumed, "data after the root element");

    private static string? ReadInlineString(ref SequenceReader<byte> reader, WbxmlLimits limits, out WbxmlError? error)
    {
        var start = reader.Consumed;
        if (!reader.TryReadTo(out ReadOnlySequence<byte> bytes, 0x00))
        {
            error = Truncated(start, "inline string without its terminating NUL");
            return null;
        }
        if (bytes.Length > limits.MaxStringLength)
        {
            error = TooLong(start, bytes.Length, limits);
            return null;
        }
        return DecodeUtf8(bytes.IsSingleSegment ? bytes.FirstSpan : bytes.ToArray(), start, out error);
    }

    private static string? ReadTableString(ref SequenceReader<byte> reader, byte[] stringTable, out WbxmlError? error)
    {
        var start = reader.Consumed;
        if ((error = ReadMultiByte(ref reader, out var index)) is not null)
            return null;
        var length = index < stringTable.Length ? stringTable.AsSpan((int)index).IndexOf((byte)0) : -1;
        if (length < 0)
        {
            error = new(start, WbxmlErrorKind.InvalidStringTableReference,
                $"STR_T {index} is not a string in a table of {stringTable.Length} bytes");
            return null;
        }
        return DecodeUtf8(stringTable.AsSpan((int)index, length), start, out error);
    }

    private static WbxmlError? ReadOpaque(ref SequenceReader<byte> reader, WbxmlLimits limits, out byte[] bytes)
    {
        bytes = [];
        var start = reader.Consumed;
        if (ReadMultiByte(ref reader, out var length) is { } lengthError)
            return lengthError;
        if (length > limits.MaxStringLength)
            return TooLong(start, length, limits);
        if (length > reader.Remaining)
            return Truncated(start, $"opaque data of {length} bytes, {reader.Remaining} left");
        bytes = new byte[length];
        reader.TryCopyTo(bytes);
        reader.Advance(length);
        return null;
    }

    private static string? DecodeUtf8(ReadOnlySpan<byte> bytes, long offset, out WbxmlError? error)
    {
        // Strict: replacing bad bytes with U+FFFD would store corrupted data; refusing lets the client see an error.
        if (!Utf8.IsValid(bytes))
        {
            error = new(offset, WbxmlErrorKind.InvalidUtf8, "string is not valid UTF-8");
            return null;
        }
        error = null;
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>mb_u_int32 (WAP-192-WBXML §5.1): big-endian base-128, at most 32 significant bits.</summary>
    private static WbxmlError? ReadMultiByte(ref SequenceReader<byte> reader, out uint value)
    {
        var start = reader.Consumed;
        value = 0;
        for (var i = 0; i < 5; i++)
        {
            if (!reader.TryRead(out var b))
                return Truncated(reader.Consumed, "multi-byte integer cut short");
            if (value > uint.MaxValue >> 7)
                return new(start, WbxmlErrorKind.InvalidMultiByteInteger, "multi-byte integer over 2^32 - 1");
            value = (value << 7) | (uint)(b & 0x7F);
            if ((b & 0x80) == 0)
                return null;
        }
        return new(start, WbxmlErrorKind.InvalidMultiByteInteger, "multi-byte integer longer than 5 bytes");
    }

    private static WbxmlError Truncated(long offset, string message) => new(offset, WbxmlErrorKind.Truncated, message);

    private static WbxmlError Unexpected(long offset, string message) =>
        new(offset, WbxmlErrorKind.UnexpectedContent, message);

    private static WbxmlError TooLong(long offset, long length, WbxmlLimits limits) =>
        new(offset, WbxmlErrorKind.StringTooLong, $"value of {length} bytes exceeds {limits.MaxStringLength}");
}
