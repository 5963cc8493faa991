using System.Globalization;
using System.Text;
using System.Xml.Linq;
using MimeKit;
using SyncServer.Core.Model;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.ActiveSync.Mapping;

/// <summary>What the client asked a body to look like (AirSyncBase BodyPreference, MS-ASAIRS 2.2.2.7).</summary>
public sealed record BodyPreference(int Type, long? TruncationSize)
{
    public const int PlainText = 1, Html = 2, Mime = 4;

    public static readonly BodyPreference Default = new(PlainText, null);
}

/// <summary>
/// A stored message as an ActiveSync Email ApplicationData (MS-ASEMAIL 2.2.2; client-requirements A.5.1): headers
/// from MimeKit's parse of the stored bytes, flags from the index, the body as the client prefers it, truncated
/// at a UTF-8 character boundary.
/// </summary>
public static class EmailRecord
{
    private static readonly XNamespace Email = ActiveSyncNamespaces.Email;
    private static readonly XNamespace Base = ActiveSyncNamespaces.AirSyncBase;

    public static XElement ApplicationData(XName name, Item item, MimeMessage message, ReadOnlyMemory<byte> raw, BodyPreference preference)
    {
        var flags = item.Mail?.Flags ?? MailFlags.None;
        var meeting = MeetingRequestRecord.Read(item, message);
        return new XElement(name,
            Optional(Email + "To", message.To.ToString()),
            Optional(Email + "Cc", message.Cc.ToString()),
            Optional(Email + "From", message.From.ToString()),
            new XElement(Email + "Subject", message.Subject ?? ""),
            Optional(Email + "ReplyTo", message.ReplyTo.ToString()),
            new XElement(Email + "DateReceived", item.InternalDate.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
            new XElement(Email + "DisplayTo", string.Join("; ", message.To.Mailboxes.Select(m => string.IsNullOrEmpty(m.Name) ? m.Address : m.Name))),
            new XElement(Email + "ThreadTopic", message.Subject ?? ""),
            new XElement(Email + "Importance", message.Importance switch { MessageImportance.Low => 0, MessageImportance.High => 2, _ => 1 }),
            new XElement(Email + "Read", flags.HasFlag(MailFlags.Seen) ? 1 : 0),
            MailAttachments.Element(item, message),
            Body(message, raw, preference),
            new XElement(Email + "MessageClass", MeetingRequestRecord.MessageClass(meeting) ?? "IPM.Note"),
            meeting?.Element(),
            new XElement(Email + "InternetCPID", 65001),
            new XElement(Email + "Flag", flags.HasFlag(MailFlags.Flagged) ? new XElement(Email + "Status", 2) : null),
            new XElement(Email + "ContentClass", meeting is null ? "urn:content-classes:message" : "urn:content-classes:calendarmessage"),
            new XElement(Base + "NativeBodyType", message.HtmlBody is null ? BodyPreference.PlainText : BodyPreference.Html));
    }

    /// <summary>The client's change of Read and Flag (the only e-mail fields a client may change, MS-ASEMAIL 3.1.5.3).</summary>
    public static MailFlags ApplyChange(MailFlags flags, XElement applicationData)
    {
        if ((string?)applicationData.Element(Email + "Read") is { } read)
            flags = read == "1" ? flags | MailFlags.Seen : flags & ~MailFlags.Seen;
        if (applicationData.Element(Email + "Flag") is { } flag)
            flags = (string?)flag.Element(Email + "Status") == "2" ? flags | MailFlags.Flagged : flags & ~MailFlags.Flagged;
        return flags;
    }

    private static XElement Body(MimeMessage message, ReadOnlyMemory<byte> raw, BodyPreference preference)
    {
        if (preference.Type == BodyPreference.Mime)
        {
            var length = (int)Math.Min(raw.Length, preference.TruncationSize ?? long.MaxValue);
            return new XElement(Base + "Body",
                new XElement(Base + "Type", BodyPreference.Mime),
                new XElement(Base + "EstimatedDataSize", raw.Length),
                length < raw.Length ? new XElement(Base + "Truncated", 1) : null,
                WbxmlOpaque.Element(Base + "Data", raw[..length]));
        }
        var (type, text) = preference.Type == BodyPreference.Html && message.HtmlBody is { } html
            ? (BodyPreference.Html, html)
            : (BodyPreference.PlainText, message.TextBody ?? "");
        var bytes = Encoding.UTF8.GetByteCount(text);
        var truncated = preference.TruncationSize is { } limit && bytes > limit ? Truncate(text, (int)limit) : text;
        return new XElement(Base + "Body",
            new XElement(Base + "Type", type),
            new XElement(Base + "EstimatedDataSize", bytes),
            truncated.Length < text.Length ? new XElement(Base + "Truncated", 1) : null,
            new XElement(Base + "Data", truncated));
    }

    /// <summary>The longest prefix of <paramref name="text"/> of at most <paramref name="maxBytes"/> UTF-8 bytes, never splitting a character.</summary>
    private static string Truncate(string text, int maxBytes)
    {
        var length = 0;
        var bytes = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes)
                break;
            bytes += rune.Utf8SequenceLength;
            length += rune.Utf16SequenceLength;
        }
        return text[..length];
    }

    private static XElement? Optional(XName name, string value) => value.Length > 0 ? new XElement(name, value) : null;
}
