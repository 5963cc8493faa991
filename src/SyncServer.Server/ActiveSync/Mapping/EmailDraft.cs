using System.Xml.Linq;
using MimeKit;
using SyncServer.Core.Model;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.ActiveSync.Mapping;

/// <summary>A draft as composed from a client's Add or Change, and which attachment each of the client's attachment ClientIds became.</summary>
public sealed record ComposedDraft(MimeMessage Message, IReadOnlyList<(string ClientId, MimeEntity Entity)> Added)
{
    private static readonly XNamespace Base = ActiveSyncNamespaces.AirSyncBase;

    /// <summary>
    /// The ApplicationData of the Responses Add/Change that tells the client the FileReference of each attachment it
    /// added (MS-ASAIRS 2.2.2.7 in a Responses element: ClientId + FileReference); null when it added none.
    /// </summary>
    public XElement? AddedAttachments(CollectionId collection, ItemId item)
    {
        if (Added.Count == 0)
            return null;
        var indexes = MailAttachments.Of(Message);
        return new XElement(ActiveSyncNamespaces.AirSync + "ApplicationData", new XElement(Base + "Attachments", Added.Select(a => new XElement(Base + "Attachment",
            new XElement(Base + "ClientId", a.ClientId),
            new XElement(Base + "FileReference", new FileReference(collection, item, indexes.Single(i => ReferenceEquals(i.Entity, a.Entity)).Index).ToString())))));
    }
}

/// <summary>
/// Drafts a 16.x client keeps in Drafts with Sync (MS-ASEMAIL 3.1.5.3.1, client-requirements A.5.1 "Drafts sync in
/// 16.x"): an Add makes a MIME message from the account; a Change of a draft edits the stored one. What the client
/// sends replaces the draft's: To, Cc, Bcc (Email2), Subject, Importance, a plain-text or HTML Body; what it leaves
/// out stays (Message-ID, threading headers, the body and attachments it does not touch). Attachments come as
/// <c>airsyncbase:Attachments</c> with <c>Add</c> (ClientId, Content, ContentType, DisplayName, Method, ContentId,
/// IsInline) and <c>Delete</c> (FileReference of one of this draft's attachments). A body of another type or an
/// address list MimeKit cannot read is a conversion error (null; Sync status 6).
/// </summary>
public static class EmailDraft
{
    private static readonly XNamespace Email = ActiveSyncNamespaces.Email;
    private static readonly XNamespace Email2 = ActiveSyncNamespaces.Email2;
    private static readonly XNamespace Base = ActiveSyncNamespaces.AirSyncBase;

    private static readonly XName[] ContentElements =
        [Email + "To", Email + "Cc", Email2 + "Bcc", Email + "Subject", Email + "Importance", Base + "Body", Base + "Attachments"];

    public static ComposedDraft? FromApplicationData(XElement data, MailboxAddress from, DateTimeOffset now)
    {
        var message = new MimeMessage { Date = now, Subject = "" };
        message.From.Add(from);
        return Compose(message, null, data);
    }

    /// <summary>Whether a Change carries more than Read/Flag/Categories: a draft's content.</summary>
    public static bool EditsContent(XElement data) => data.Elements().Any(e => ContentElements.Contains(e.Name));

    /// <summary>The stored draft <paramref name="item"/> with the client's Change applied.</summary>
    public static ComposedDraft? Edit(MimeMessage stored, Item item, XElement data, DateTimeOffset now)
    {
        stored.Date = now;
        return Compose(stored, item, data);
    }

    private static ComposedDraft? Compose(MimeMessage message, Item? item, XElement data)
    {
        if ((string?)data.Element(Email + "Subject") is { } subject)
            message.Subject = subject;
        foreach (var (name, list) in new[] { (Email + "To", message.To), (Email + "Cc", message.Cc), (Email2 + "Bcc", message.Bcc) })
        {
            if ((string?)data.Element(name) is not { } addressText)
                continue;
            list.Clear();
            if (addressText.Trim().Length == 0)
                continue;
            if (!InternetAddressList.TryParse(addressText, out var addresses))
                return null;
            list.AddRange(addresses);
        }
        if ((string?)data.Element(Email + "Importance") is { } importance)
            message.Importance = importance switch { "0" => MessageImportance.Low, "2" => MessageImportance.High, _ => MessageImportance.Normal };

        var body = CurrentBody(message);
        if (data.Element(Base + "Body") is { } bodyElement)
        {
            var text = (string?)bodyElement.Element(Base + "Data") ?? "";
            body = ((string?)bodyElement.Element(Base + "Type") ?? "1") switch
            {
                "1" => new TextPart("plain") { Text = text },
                "2" => new TextPart("html") { Text = text },
                _ => null,
            };
            if (body is null)
                return null;
        }

        var changes = data.Element(Base + "Attachments");
        var deleted = (changes?.Elements(Base + "Delete") ?? [])
            .Select(d => FileReference.TryParse((string?)d.Element(Base + "FileReference"), out var reference) ? reference : null)
            .Where(r => r is not null && item is not null && r.Item == item.Id)
            .Select(r => r!.Index)
            .ToHashSet();
        var kept = MailAttachments.Of(message).Where(a => !deleted.Contains(a.Index)).Select(a => a.Entity).ToList();
        var added = (changes?.Elements(Base + "Add") ?? []).Select(a => ((string?)a.Element(Base + "ClientId") ?? "", (MimeEntity)Attachment(a))).ToList();

        var parts = kept.Concat(added.Select(a => a.Item2)).ToList();
        if (parts.Count == 0)
            message.Body = body ?? new TextPart("plain") { Text = "" };
        else
        {
            var mixed = new Multipart("mixed");
            if (body is not null)
                mixed.Add(body);
            foreach (var part in parts)
                mixed.Add(part);
            message.Body = mixed;
        }
        return new ComposedDraft(message, added);
    }

    /// <summary>The message's body without its attachments: the body itself, or the first non-attachment part of a multipart/mixed.</summary>
    private static MimeEntity? CurrentBody(MimeMessage message)
    {
        var attachments = MailAttachments.Of(message).Select(a => a.Entity).ToHashSet();
        return message.Body switch
        {
            null => null,
            Multipart { ContentType: var type } mixed when type.IsMimeType("multipart", "mixed")
                => mixed.FirstOrDefault(e => !attachments.Contains(e)),
            var single when attachments.Contains(single) => null,
            var single => single,
        };
    }

    /// <summary>An <c>airsyncbase:Attachments/Add</c> as a MIME part (MS-ASAIRS 2.2.2.2); Content is opaque or text.</summary>
    private static MimePart Attachment(XElement add)
    {
        var type = ContentType.TryParse((string?)add.Element(Base + "ContentType") ?? "", out var parsed) ? parsed : new ContentType("application", "octet-stream");
        var inline = (string?)add.Element(Base + "IsInline") == "1";
        var content = add.Element(Base + "Content") is { } element ? WbxmlOpaque.GetBytes(element).ToArray() : [];
        var part = new MimePart(type)
        {
            Content = new MimeContent(new MemoryStream(content, writable: false)),
            ContentDisposition = new ContentDisposition(inline ? ContentDisposition.Inline : ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = (string?)add.Element(Base + "DisplayName") is { Length: > 0 } name ? name : "attachment",
        };
        if ((string?)add.Element(Base + "ContentId") is { Length: > 0 } contentId)
            part.ContentId = contentId;
        return part;
    }
}
