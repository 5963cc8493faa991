using System.Text;
using SyncServer.Core.Mail;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Messages;

/// <summary>
/// BODY[section] (RFC 9051 §6.4.5): the octets a section names, read from the stored bytes at the offsets in the
/// structure, so every section is exactly what was stored and only its range is read.
/// </summary>
public static class BodySections
{
    /// <summary>Sections up to this many octets are read into memory; larger ones stream from the store in chunks.</summary>
    public const long InlineLimit = 64 * 1024;

    /// <summary>
    /// The stored range [Begin, End) a section names, or null when the message has no such part. For HEADER.FIELDS
    /// (.NOT) it is the header, which <see cref="Fields"/> then filters.
    /// </summary>
    public static (long Begin, long End)? Range(MessageStructure structure, ImapSection section)
    {
        var part = section.Part.Count == 0 ? null : Find(structure, section.Part);
        if (section.Part.Count > 0 && part is null)
            return null;
        if (section.Text is null)
            return part is null ? (structure.Begin, structure.End) : (part.HeadersEnd, part.End);
        if (section.Text == ImapSectionText.Mime)
            return part is null ? null : (part.Begin, part.HeadersEnd);
        // HEADER, TEXT and HEADER.FIELDS of a part are those of the message it contains (message/rfc822).
        var message = part is null ? structure : part.Message;
        if (message is null)
            return null;
        return section.Text == ImapSectionText.Text ? (message.HeadersEnd, message.End) : (message.Begin, message.HeadersEnd);
    }

    /// <summary>The value of BODY[section]&lt;partial&gt; (empty when there is no such part).</summary>
    public static async Task<ImapValue> ValueAsync(MessageContent content, ImapSection section, ImapPartial? partial, CancellationToken cancellationToken)
    {
        if (Range(content.Structure, section) is not var (begin, end))
            return Literal(ReadOnlyMemory<byte>.Empty);
        if (section.Text is ImapSectionText.HeaderFields or ImapSectionText.HeaderFieldsNot)
        {
            var header = await content.ReadAsync(begin, end, cancellationToken);
            return Literal(Partial(Fields(header, section.HeaderFields, include: section.Text == ImapSectionText.HeaderFields), partial));
        }
        (begin, end) = Window(begin, end, partial);
        return end - begin <= InlineLimit
            ? Literal(await content.ReadAsync(begin, end, cancellationToken))
            : new StreamedLiteral(content, begin, end);
    }

    /// <summary>The FETCH item name that answers a section, e.g. <c>BODY[1.2]&lt;0&gt;</c> (the partial's origin only).</summary>
    public static string Name(ImapSection section, ImapPartial? partial) =>
        partial is { } p ? $"BODY[{section}]<{p.Offset}>" : $"BODY[{section}]";

    public static ReadOnlyMemory<byte> Partial(ReadOnlyMemory<byte> octets, ImapPartial? partial)
    {
        var (begin, end) = Window(0, octets.Length, partial);
        return octets[(int)begin..(int)end];
    }

    /// <summary>The part of [begin, end) a partial names: from its offset, at most its length (empty past the end).</summary>
    public static (long Begin, long End) Window(long begin, long end, ImapPartial? partial)
    {
        if (partial is not { } p)
            return (begin, end);
        var length = (ulong)(end - begin);
        var from = Math.Min(p.Offset, length);
        return (begin + (long)from, begin + (long)(from + Math.Min(p.Length, length - from)));
    }

    /// <summary>The part a non-empty part number names, e.g. 1.2; null when the message has none such.</summary>
    public static MimePartStructure? Find(MessageStructure message, IReadOnlyList<uint> numbers)
    {
        MimePartStructure? part = null;
        foreach (var number in numbers)
        {
            part = Child(part, message, number);
            if (part is null)
                return null;
        }
        return part;
    }

    /// <summary>
    /// Section octets as a FETCH string. A literal may not carry NUL (RFC 9051 §4.3) and only BINARY may send
    /// literal8, so a stored NUL goes out as 0x80, as Dovecot does: the length (RFC822.SIZE) and every other octet
    /// stay exact.
    /// </summary>
    public static ImapString Literal(ReadOnlyMemory<byte> octets)
    {
        if (!octets.Span.Contains((byte)0))
            return new ImapString(octets);
        var copy = octets.ToArray();
        copy.AsSpan().Replace((byte)0, (byte)0x80);
        return new ImapString(copy);
    }

    // Numbering (RFC 9051 §6.4.5): a multipart's parts are 1..n; a single-part body is part 1 of its message;
    // the parts of a message/rfc822 part are those of the message inside it.
    private static MimePartStructure? Child(MimePartStructure? part, MessageStructure message, uint number)
    {
        var body = part is null ? message.Body : part.Message?.Body ?? part;
        if (body.IsMultipart)
            return number <= body.Parts.Count ? body.Parts[(int)number - 1] : null;
        return number == 1 && (part is null || part.Message is not null) ? body : null;
    }

    /// <summary>HEADER.FIELDS (.NOT): the matching (or other) fields in their order, then the blank line.</summary>
    private static ReadOnlyMemory<byte> Fields(ReadOnlyMemory<byte> header, IReadOnlyList<string> names, bool include)
    {
        var text = Encoding.Latin1.GetString(header.Span);
        var result = new StringBuilder();
        var keep = false;
        foreach (var line in text.Split("\r\n"))
        {
            if (line.Length == 0)
                break;
            if (line[0] is not (' ' or '\t'))
            {
                var colon = line.IndexOf(':');
                var name = colon < 0 ? line : line[..colon].TrimEnd();
                keep = names.Contains(name, StringComparer.OrdinalIgnoreCase) == include;
            }
            if (keep)
                result.Append(line).Append("\r\n");
        }
        result.Append("\r\n");
        return Encoding.Latin1.GetBytes(result.ToString());
    }
}
