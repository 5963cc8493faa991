using System.Text.Json;

namespace SyncServer.Core.Mail;

/// <summary>
/// One address of an IMAP ENVELOPE list (RFC 9051 §7.5.2). A group is a start marker (<see cref="Mailbox"/> =
/// group name, no host) and an end marker (all null) around its members, exactly as IMAP writes it.
/// </summary>
public sealed record EnvelopeAddress(string? Name, string? Mailbox, string? Host);

/// <summary>
/// The ENVELOPE fields. Date, subject and message ids are the raw header values (unfolded, encoded words
/// kept) because IMAP hands them to the client undecoded; a missing header is null (NIL).
/// </summary>
public sealed record Envelope(
    string? Date, string? Subject,
    IReadOnlyList<EnvelopeAddress> From, IReadOnlyList<EnvelopeAddress> Sender, IReadOnlyList<EnvelopeAddress> ReplyTo,
    IReadOnlyList<EnvelopeAddress> To, IReadOnlyList<EnvelopeAddress> Cc, IReadOnlyList<EnvelopeAddress> Bcc,
    string? InReplyTo, string? MessageId);

public sealed record MimeParameter(string Name, string Value);

/// <summary>
/// One MIME entity with its octet offsets in the stored bytes: headers are [Begin, HeadersEnd) including the
/// blank line, content is [HeadersEnd, End). <see cref="Parts"/> are a multipart's children;
/// <see cref="Message"/> is the message inside a message/rfc822 part.
/// </summary>
public sealed record MimePartStructure(
    string Type, string Subtype, IReadOnlyList<MimeParameter> Parameters,
    string? ContentId, string? Description, string Encoding, string? Md5,
    string? Disposition, IReadOnlyList<MimeParameter> DispositionParameters, string? Language, string? Location,
    long Begin, long HeadersEnd, long End, int Lines,
    IReadOnlyList<MimePartStructure> Parts, MessageStructure? Message)
{
    public bool IsMultipart => Parts.Count > 0 || Type.Equals("multipart", StringComparison.OrdinalIgnoreCase);

    public bool IsMessage => Message is not null;
}

/// <summary>
/// A message's structure as IMAP needs it (ENVELOPE, BODYSTRUCTURE, BODY[section]), computed once from the raw
/// bytes by <see cref="MessageStructureParser"/> and kept in <c>MailIndex.MimeStructure</c> as JSON.
/// </summary>
public sealed record MessageStructure(long Begin, long HeadersEnd, long End, Envelope Envelope, MimePartStructure Body)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    /// <summary>The structure kept in the index, or null when it is absent or from an older format.</summary>
    public static MessageStructure? Deserialize(string? json)
    {
        if (string.IsNullOrEmpty(json))
            return null;
        try
        {
            return JsonSerializer.Deserialize<MessageStructure>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
