using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MimeKit;
using SyncServer.Core.Model;
using SyncServer.Protocols.ActiveSync.Http;
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
/// from MimeKit's parse of the stored bytes, flags and keywords from the index, what ActiveSync keeps beside them
/// (<see cref="EmailItemState"/>), the body as the client prefers it, truncated at a UTF-8 character boundary.
/// Elements are sent only in the versions that define them: Categories and the Email2 ones from 14.0, IsDraft and
/// Bcc from 16.0.
/// </summary>
public static partial class EmailRecord
{
    private static readonly XNamespace Email = ActiveSyncNamespaces.Email;
    private static readonly XNamespace Email2 = ActiveSyncNamespaces.Email2;
    private static readonly XNamespace Base = ActiveSyncNamespaces.AirSyncBase;
    private const int Utf8CodePage = 65001;

    /// <summary>The encodings .NET has without a provider (utf-8, us-ascii, iso-8859-1, utf-16…), by name.</summary>
    private static readonly Dictionary<string, int> BuiltInCodePages =
        Encoding.GetEncodings().DistinctBy(e => e.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(e => e.Name, e => e.CodePage, StringComparer.OrdinalIgnoreCase);

    public static XElement ApplicationData(XName name, StoredMessage stored, EmailItemState state, BodyPreference preference, ActiveSyncVersion version)
    {
        var (item, message) = (stored.Item, stored.Message);
        var mail = item.Mail ?? new MailIndex(MailFlags.None, []);
        var v14 = version >= ActiveSyncVersion.V14_0;
        var v16 = version >= ActiveSyncVersion.V16_0;
        var isDraft = mail.Flags.HasFlag(MailFlags.Draft);
        var meeting = MeetingRequestRecord.Read(item, message);
        return new XElement(name,
            Optional(Email + "To", message.To.ToString()),
            Optional(Email + "Cc", message.Cc.ToString()),
            Optional(Email + "From", message.From.ToString()),
            new XElement(Email + "Subject", message.Subject ?? ""),
            Optional(Email + "ReplyTo", message.ReplyTo.ToString()),
            new XElement(Email + "DateReceived", Utc(item.InternalDate)),
            new XElement(Email + "DisplayTo", string.Join("; ", message.To.Mailboxes.Select(m => string.IsNullOrEmpty(m.Name) ? m.Address : m.Name))),
            new XElement(Email + "ThreadTopic", ThreadTopic(message)),
            new XElement(Email + "Importance", message.Importance switch { MessageImportance.Low => 0, MessageImportance.High => 2, _ => 1 }),
            new XElement(Email + "Read", mail.Flags.HasFlag(MailFlags.Seen) ? 1 : 0),
            MailAttachments.Element(item, message),
            Body(message, stored.Raw, preference),
            new XElement(Email + "MessageClass", MeetingRequestRecord.MessageClass(meeting) ?? MessageClass(message)),
            meeting?.Element(version),
            new XElement(Email + "InternetCPID", InternetCodePage(message)),
            EmailFlag.Element(mail, state.FlagDetails),
            new XElement(Email + "ContentClass", meeting is null ? "urn:content-classes:message" : "urn:content-classes:calendarmessage"),
            new XElement(Base + "NativeBodyType", message.HtmlBody is null ? BodyPreference.PlainText : BodyPreference.Html),
            v14 ? Categories(mail) : null,
            v14 ? WbxmlOpaque.Element(Email2 + "ConversationId", EmailConversation.Id(message, item)) : null,
            v14 ? WbxmlOpaque.Element(Email2 + "ConversationIndex", EmailConversation.Index(message, item)) : null,
            v14 ? Verb(mail, state) : null,
            v14 ? new XElement(Email2 + "ReceivedAsBcc", ReceivedAsBcc(message) ? 1 : 0) : null,
            v14 && message.Sender is { } sender && !message.From.Mailboxes.Any(m => m.Address.Equals(sender.Address, StringComparison.OrdinalIgnoreCase))
                ? new XElement(Email2 + "Sender", sender.ToString())
                : null,
            v16 ? new XElement(Email2 + "IsDraft", isDraft ? 1 : 0) : null,
            v16 && isDraft ? Optional(Email2 + "Bcc", message.Bcc.ToString()) : null);
    }

    /// <summary>
    /// What a server-side change of a message can change (its content never does): Read, Flag and, from 14.0,
    /// Categories and the last verb.
    /// </summary>
    public static IEnumerable<XElement> ChangedData(MailIndex mail, EmailItemState state, ActiveSyncVersion version)
    {
        yield return new XElement(Email + "Read", mail.Flags.HasFlag(MailFlags.Seen) ? 1 : 0);
        yield return EmailFlag.Element(mail, state.FlagDetails);
        if (version < ActiveSyncVersion.V14_0)
            yield break;
        yield return Categories(mail);
        foreach (var element in Verb(mail, state))
            yield return element;
    }

    /// <summary>The message class, for now from the MIME structure alone (<see cref="EmailMessageClass"/>).</summary>
    public static string MessageClass(MimeMessage message) => EmailMessageClass.Of(message);

    /// <summary>
    /// The client's change of Read, Flag and (from 14.0) Categories, the fields MS-ASEMAIL lets a client change in a
    /// received message; the Flag details to keep when the client sent a Flag (<see cref="EmailChange.FlagDetails"/>).
    /// </summary>
    public static EmailChange ApplyChange(MailIndex mail, XElement applicationData, ActiveSyncVersion version)
    {
        if ((string?)applicationData.Element(Email + "Read") is { } read)
            mail = mail with { Flags = read == "1" ? mail.Flags | MailFlags.Seen : mail.Flags & ~MailFlags.Seen };
        var flagChanged = false;
        XElement? details = null;
        if (applicationData.Element(Email + "Flag") is { } flag)
        {
            (mail, details) = EmailFlag.Apply(mail, flag);
            flagChanged = true;
        }
        if (version >= ActiveSyncVersion.V14_0 && applicationData.Element(Email + "Categories") is { } categories)
        {
            var wanted = categories.Elements(Email + "Category").Select(c => CategoryKeywords.ToKeyword(c.Value.Trim())).Where(k => k.Length > 0);
            mail = mail with { Keywords = [.. mail.Keywords.Where(k => !CategoryKeywords.IsCategory(k)).Concat(wanted).Distinct(StringComparer.Ordinal)] };
        }
        return new EmailChange(mail, flagChanged, details);
    }

    /// <summary>Thread-Topic when the message has one, else the subject without its Re:/Fwd: prefixes.</summary>
    public static string ThreadTopic(MimeMessage message)
    {
        if (message.Headers["Thread-Topic"] is { Length: > 0 } topic)
            return topic.Trim();
        var subject = (message.Subject ?? "").Trim();
        while (ReplyPrefix().Match(subject) is { Success: true } prefix)
            subject = subject[prefix.Length..].TrimStart();
        return subject;
    }

    /// <summary>
    /// The Windows code page of the charset of the message's text (.NET's encodings and the Windows code pages
    /// provider: utf-8 65001, iso-8859-1 28591, windows-1252 1252, …); 65001 (UTF-8) when it has none or an unknown one.
    /// </summary>
    public static int InternetCodePage(MimeMessage message)
    {
        if (message.BodyParts.OfType<TextPart>().FirstOrDefault(p => !p.IsAttachment)?.ContentType.Charset is not { Length: > 0 } charset)
            return Utf8CodePage;
        return BuiltInCodePages.TryGetValue(charset, out var page) ? page : CodePagesEncodingProvider.Instance.GetEncoding(charset)?.CodePage ?? Utf8CodePage;
    }

    /// <summary>A delivered copy whose Delivered-To address (its mailbox) is neither in To nor in Cc, nor is the "for" address of its Received line.</summary>
    private static bool ReceivedAsBcc(MimeMessage message)
    {
        if (message.Headers["Delivered-To"] is not { Length: > 0 } deliveredTo)
            return false;
        var visible = message.To.Mailboxes.Concat(message.Cc.Mailboxes).Select(m => m.Address).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (visible.Contains(deliveredTo.Trim()))
            return false;
        return message.Headers["Received"] is not { } received || ReceivedFor().Match(received) is not { Success: true } match
            || !visible.Contains(match.Groups[1].Value);
    }

    private static XElement Categories(MailIndex mail)
        => new(Email + "Categories", CategoryKeywords.Categories(mail.Keywords).Select(c => new XElement(Email + "Category", c)));

    private static IEnumerable<XElement> Verb(MailIndex mail, EmailItemState state)
    {
        if (LastVerb.Of(mail, state.Verb) is not { } verb)
            yield break;
        yield return new XElement(Email2 + "LastVerbExecuted", verb.Verb);
        if (verb.Time is { } time)
            yield return new XElement(Email2 + "LastVerbExecutionTime", Utc(time));
    }

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(re|fwd?|aw|wg|sv|vs|antw|tr)\s*(\[\d+\])?\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReplyPrefix();

    [GeneratedRegex(@"\bfor\s+<([^>]+)>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReceivedFor();

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

/// <summary>A client's change of a message: the new flags and keywords; whether it sent a Flag, and the Flag details to keep then (null: none).</summary>
public sealed record EmailChange(MailIndex Mail, bool FlagChanged, XElement? FlagDetails);
