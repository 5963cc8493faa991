using System.Text;
using SyncServer.Core.Mail;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Messages;

/// <summary>
/// BODY[section] (RFC 9051 §6.4.5): the octets a section names, sliced out of the stored bytes by the offsets in
/// the structure, so every section is exactly what was stored.
/// </summary>
public static class BodySections
{
    /// <summary>The section's octets, or null when the message has no such part.</summary>
    public static ReadOnlyMemory<byte>? Read(MessageContent content, ImapSection section)
    {
        var part = section.Part.Count == 0 ? null : Find(content.Structure, section.Part);
        if (section.Part.Count > 0 && part is null)
            return null;
        if (section.Text is null)
            return part is null ? content.Slice(content.Structure.Begin, content.Structure.End) : content.Slice(part.HeadersEnd, part.End);
        if (section.Text == ImapSectionText.Mime)
            return part is null ? null : content.Slice(part.Begin, part.HeadersEnd);
        // HEADER, TEXT and HEADER.FIELDS of a part are those of the message it contains (message/rfc822).
        var message = part is null ? content.Structure : part.Message;
        if (message is null)
            return null;
        var header = content.Slice(message.Begin, message.HeadersEnd);
        return section.Text switch
        {
            ImapSectionText.Header => header,
            ImapSectionText.Text => content.Slice(message.HeadersEnd, message.End),
            ImapSectionText.HeaderFields => Fields(header, section.HeaderFields, include: true),
            _ => Fields(header, section.HeaderFields, include: false),
        };
    }

    /// <summary>The FETCH item name that answers a section, e.g. <c>BODY[1.2]&lt;0&gt;</c> (the partial's origin only).</summary>
    public static string Name(ImapSection section, ImapPartial? partial) =>
        partial is { } p ? $"BODY[{section}]<{p.Offset}>" : $"BODY[{section}]";

    public static ReadOnlyMemory<byte> Partial(ReadOnlyMemory<byte> octets, ImapPartial? partial)
    {
        if (partial is not { } p)
            return octets;
        if (p.Offset >= (ulong)octets.Length)
            return ReadOnlyMemory<byte>.Empty;
        var length = (int)Math.Min(p.Length, (ulong)octets.Length - p.Offset);
        return octets.Slice((int)p.Offset, length);
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
