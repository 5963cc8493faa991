using System.Text;
using MimeKit;
using MimeKit.Utils;
using SyncServer.Core.Model;

namespace SyncServer.Core.Mail;

/// <summary>
/// Reads a stored message once with MimeKit's <see cref="MimeParser"/> and keeps what IMAP serves from it: the
/// entity offsets reported by the parser (never a re-serialised message, whose bytes may differ) and the raw
/// header values. IMAP APPEND and local delivery both build the message's <see cref="MailIndex"/> here.
/// </summary>
public static class MessageStructureParser
{
    /// <summary>The index of a new message: structure, envelope fields for search, and the given flags.</summary>
    public static MailIndex BuildIndex(Stream content, MailFlags flags, IReadOnlyList<string> keywords)
    {
        var (structure, message) = Parse(content);
        return new MailIndex(flags, keywords,
            Subject: message.Subject,
            From: Join(message.From),
            To: Join(message.To),
            MessageId: message.MessageId,
            SentDate: message.Headers.Contains(HeaderId.Date) ? message.Date : null,
            MimeStructure: structure.Serialize());
    }

    public static MessageStructure ParseStructure(Stream content) => Parse(content).Structure;

    private static (MessageStructure Structure, MimeMessage Message) Parse(Stream content)
    {
        var start = content.CanSeek ? content.Position : 0;
        try
        {
            return Parse(content, shift: 0);
        }
        catch (FormatException) when (content.CanSeek)
        {
            // The first line is no header field ("hello" APPENDed as a message): the header is empty and the body is
            // everything. MimeKit refuses such input, so it reads it behind an empty line, and the offsets move back.
            content.Position = start;
            var shifted = new MemoryStream();
            shifted.Write("\r\n"u8);
            content.CopyTo(shifted);
            shifted.Position = 0;
            return Parse(shifted, shift: 2);
        }
    }

    private static (MessageStructure Structure, MimeMessage Message) Parse(Stream content, long shift)
    {
        var offsets = new Offsets();
        var parser = new MimeParser(content, MimeFormat.Entity);
        parser.MimeEntityEnd += (_, e) => offsets[e.Entity] = new EntityOffsets(
            Math.Max(0, e.BeginOffset - shift), Math.Max(0, e.HeadersEndOffset - shift), e.EndOffset - shift, e.Lines);
        parser.MimeMessageEnd += (_, e) => offsets[e.Message] = new EntityOffsets(
            Math.Max(0, e.BeginOffset - shift), Math.Max(0, e.HeadersEndOffset - shift), e.EndOffset - shift, 0);
        var message = parser.ParseMessage();
        return (Message(message, offsets), message);
    }

    private static MessageStructure Message(MimeMessage message, Offsets offsets)
    {
        var (begin, headersEnd, end, _) = offsets[message];
        return new MessageStructure(begin, headersEnd, end, Envelope(message.Headers),
            // The parser gives every message a body (an empty text/plain when there is none).
            Part(message.Body!, offsets));
    }

    private static MimePartStructure Part(MimeEntity entity, Offsets offsets)
    {
        var (begin, headersEnd, end, lines) = offsets[entity];
        var type = entity.ContentType;
        var disposition = entity.ContentDisposition;
        return new MimePartStructure(
            type.MediaType, type.MediaSubtype, Parameters(type.Parameters),
            Raw(entity.Headers, HeaderId.ContentId), Raw(entity.Headers, HeaderId.ContentDescription),
            // An absent Content-Transfer-Encoding means 7BIT (RFC 2045 §6.1); MimeKit reports it as Default.
            Raw(entity.Headers, HeaderId.ContentTransferEncoding)?.ToUpperInvariant() ?? "7BIT",
            Raw(entity.Headers, HeaderId.ContentMd5),
            disposition?.Disposition, disposition is null ? [] : Parameters(disposition.Parameters),
            Raw(entity.Headers, HeaderId.ContentLanguage), Raw(entity.Headers, HeaderId.ContentLocation),
            begin, headersEnd, end, lines,
            entity is Multipart multipart ? [.. multipart.Select(child => Part(child, offsets))] : [],
            entity is MessagePart { Message: { } inner } ? Message(inner, offsets) : null);
    }

    private static Envelope Envelope(HeaderList headers)
    {
        var from = Addresses(headers, HeaderId.From);
        var sender = Addresses(headers, HeaderId.Sender);
        var replyTo = Addresses(headers, HeaderId.ReplyTo);
        // RFC 9051 §7.5.2: the server fills Sender and Reply-To from From when they are absent.
        return new Envelope(
            Raw(headers, HeaderId.Date), Raw(headers, HeaderId.Subject),
            from, sender.Count > 0 ? sender : from, replyTo.Count > 0 ? replyTo : from,
            Addresses(headers, HeaderId.To), Addresses(headers, HeaderId.Cc), Addresses(headers, HeaderId.Bcc),
            Raw(headers, HeaderId.InReplyTo), Raw(headers, HeaderId.MessageId));
    }

    private static List<EnvelopeAddress> Addresses(HeaderList headers, HeaderId id)
    {
        var result = new List<EnvelopeAddress>();
        var header = headers.FirstOrDefault(h => h.Id == id);
        if (header is null || !InternetAddressList.TryParse(ParserOptions.Default, header.RawValue, out var list))
            return result;
        Flatten(list, result);
        return result;
    }

    private static void Flatten(IEnumerable<InternetAddress> list, List<EnvelopeAddress> result)
    {
        foreach (var address in list)
        {
            switch (address)
            {
                case MailboxAddress mailbox:
                    result.Add(new EnvelopeAddress(Phrase(mailbox.Name), mailbox.LocalPart, mailbox.Domain is "" ? null : mailbox.Domain));
                    break;
                case GroupAddress group:
                    result.Add(new EnvelopeAddress(null, group.Name, null));
                    Flatten(group.Members, result);
                    result.Add(new EnvelopeAddress(null, null, null));
                    break;
            }
        }
    }

    // ENVELOPE strings are 7-bit for rev1 clients: a decoded non-ASCII display name goes back into an encoded word.
    private static string? Phrase(string? name) =>
        string.IsNullOrEmpty(name) ? null : Ascii.IsValid(name) ? name : Encoding.ASCII.GetString(Rfc2047.EncodePhrase(Encoding.UTF8, name));

    private static List<MimeParameter> Parameters(ParameterList parameters) =>
        [.. parameters.Select(p => new MimeParameter(p.Name, p.Value))];

    /// <summary>The first such header's value as it was written, unfolded and trimmed; null when absent.</summary>
    private static string? Raw(HeaderList headers, HeaderId id)
    {
        var header = headers.FirstOrDefault(h => h.Id == id);
        return header is null ? null : Encoding.UTF8.GetString(header.RawValue).Replace("\r\n", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Trim();
    }

    private readonly record struct EntityOffsets(long Begin, long HeadersEnd, long End, int Lines);

    // Keyed by the parsed objects themselves: two entities may be equal in value but not in place.
    private sealed class Offsets() : Dictionary<object, EntityOffsets>(ReferenceEqualityComparer.Instance);

    private static string? Join(InternetAddressList list) =>
        list.Count == 0 ? null : string.Join(", ", list.Mailboxes.Select(m => m.ToString()));
}
