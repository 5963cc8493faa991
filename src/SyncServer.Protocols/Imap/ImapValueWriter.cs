using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace SyncServer.Protocols.Imap;

/// <summary>Writes <see cref="ImapValue"/>s and strings in their shortest valid wire form (RFC 9051 §4.3).</summary>
public static class ImapValueWriter
{
    // Longer strings go out as literals: some clients cap the length of a response line.
    private const int MaxQuotedLength = 1024;

    private static readonly SearchValues<byte> AStringChars = SearchValues.Create(
        "!#$&'+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz|}~"u8);

    // Quoted strings carry 7-bit text without CR, LF and NUL; anything else needs a literal.
    private static readonly SearchValues<byte> NeedLiteral = SearchValues.Create(
        [.. Enumerable.Range(0, 32).Where(b => b != '\t').Select(b => (byte)b), .. Enumerable.Range(127, 129).Select(b => (byte)b)]);

    public static void Write(IBufferWriter<byte> output, ImapValue value)
    {
        switch (value)
        {
            case ImapNil:
                output.Write("NIL"u8);
                break;
            case ImapNumber number:
                WriteNumber(output, number.Value);
                break;
            case ImapAtom atom:
                WriteAscii(output, atom.Text);
                break;
            case ImapString { Binary: true } binary:
                WriteLiteral(output, binary.Octets.Span, "~{"u8);
                break;
            case ImapString text:
                WriteString(output, text.Octets.Span);
                break;
            case ImapList list:
                output.Write("("u8);
                for (var i = 0; i < list.Items.Count; i++)
                {
                    if (i > 0)
                        output.Write(" "u8);
                    Write(output, list.Items[i]);
                }
                output.Write(")"u8);
                break;
            default:
                throw new ArgumentException($"Unknown IMAP value {value.GetType().Name}.", nameof(value));
        }
    }

    /// <summary>A quoted string when it can be one, otherwise a literal.</summary>
    public static void WriteString(IBufferWriter<byte> output, ReadOnlySpan<byte> octets)
    {
        if (octets.Length > MaxQuotedLength || octets.ContainsAny(NeedLiteral))
        {
            // RFC 9051 §4.3: NUL is never allowed in a literal; binary content needs ImapString.Binary.
            if (octets.Contains((byte)0))
                throw new ArgumentException("NUL in a string; use a binary string (literal8).", nameof(octets));
            WriteLiteral(output, octets, "{"u8);
            return;
        }
        output.Write("\""u8);
        while (octets.IndexOfAny("\\\""u8) is var special and >= 0)
        {
            output.Write(octets[..special]);
            output.Write("\\"u8);
            output.Write(octets.Slice(special, 1));
            octets = octets[(special + 1)..];
        }
        output.Write(octets);
        output.Write("\""u8);
    }

    public static void WriteString(IBufferWriter<byte> output, string text) => WriteString(output, Encoding.UTF8.GetBytes(text));

    /// <summary>An atom when the text is one (and is not "NIL", which would read as NIL), else a string.</summary>
    public static void WriteAString(IBufferWriter<byte> output, string text)
    {
        var octets = Encoding.UTF8.GetBytes(text);
        if (octets.Length > 0 && !octets.AsSpan().ContainsAnyExcept(AStringChars) && !Ascii.EqualsIgnoreCase(octets, "NIL"u8))
            output.Write(octets);
        else
            WriteString(output, octets);
    }

    public static void WriteNString(IBufferWriter<byte> output, string? text)
    {
        if (text is null)
            output.Write("NIL"u8);
        else
            WriteString(output, text);
    }

    public static void WriteNumber(IBufferWriter<byte> output, ulong number)
    {
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(number, span, out var written);
        output.Advance(written);
    }

    /// <summary>Protocol text (keywords, response text): refused if it holds CR or LF, which would forge responses.</summary>
    public static void WriteAscii(IBufferWriter<byte> output, string text)
    {
        if (text.AsSpan().IndexOfAny('\r', '\n') >= 0)
            throw new ArgumentException("Response text must not contain CR or LF.", nameof(text));
        Encoding.UTF8.GetBytes(text, output);
    }

    /// <summary>
    /// <c>{n}</c> CRLF, or <c>~{n}</c> CRLF when <paramref name="binary"/>: a literal whose <paramref name="length"/>
    /// octets the caller writes next (message content copied from the store in chunks). They must not hold NUL
    /// unless binary (RFC 9051 §4.3).
    /// </summary>
    public static void WriteLiteralAnnouncement(IBufferWriter<byte> output, long length, bool binary)
    {
        output.Write(binary ? "~{"u8 : "{"u8);
        WriteNumber(output, (ulong)length);
        output.Write("}\r\n"u8);
    }

    private static void WriteLiteral(IBufferWriter<byte> output, ReadOnlySpan<byte> octets, ReadOnlySpan<byte> open)
    {
        output.Write(open);
        WriteNumber(output, (ulong)octets.Length);
        output.Write("}\r\n"u8);
        output.Write(octets);
    }
}
