using System.Globalization;
using System.Xml.Linq;
using MimeKit;
using MimeKit.IO;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.ActiveSync.Mapping;

/// <summary>
/// Names one attachment of a stored message (AirSyncBase FileReference, MS-ASAIRS 2.2.2.24):
/// <c>collection:item:index</c>, the index being the attachment's position among the message's body parts
/// (MimeKit's <see cref="MimeMessage.BodyParts"/>, which does not enter attached messages). The bytes of a message
/// never change, so the index stays valid as long as the message exists; the collection is only informative (a
/// moved message keeps its ItemId), ownership is checked on the item.
/// </summary>
public sealed record FileReference(CollectionId Collection, ItemId Item, int Index)
{
    public override string ToString() => $"{MessageServerId.Format(Collection, Item)}:{Index.ToString(CultureInfo.InvariantCulture)}";

    public static bool TryParse(string? text, out FileReference reference)
    {
        reference = null!;
        var last = text?.LastIndexOf(':') ?? -1;
        if (last < 0 || !MessageServerId.TryParse(text![..last], out var collection, out var item)
            || !int.TryParse(text.AsSpan(last + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return false;
        reference = new FileReference(collection, item, index);
        return true;
    }
}

/// <summary>One attachment of a message: a part with <c>Content-Disposition: attachment</c>, a non-text part (inline images), or an attached message.</summary>
public sealed record MailAttachment(int Index, MimeEntity Entity)
{
    /// <summary>AirSyncBase Method: 1 normal attachment, 5 embedded message (MS-ASAIRS 2.2.2.31).</summary>
    public int Method => Entity is MessagePart ? 5 : 1;

    public string ContentType => Entity.ContentType.MimeType;

    public bool IsInline => !Entity.IsAttachment;

    public string DisplayName => Entity switch
    {
        MimePart { FileName: { Length: > 0 } name } => name,
        MessagePart message => (message.Message?.Subject is { Length: > 0 } subject ? subject : "message") + ".eml",
        _ => Entity.ContentType.Name is { Length: > 0 } name ? name : "attachment",
    };

    /// <summary>The decoded bytes (an attached message as its MIME).</summary>
    public byte[] Content()
    {
        using var buffer = new MemoryStream();
        WriteTo(buffer);
        return buffer.ToArray();
    }

    public long Size()
    {
        using var measuring = new MeasuringStream();
        WriteTo(measuring);
        return measuring.Length;
    }

    private void WriteTo(Stream stream)
    {
        if (Entity is MessagePart { Message: { } message })
            message.WriteTo(stream);
        else if (Entity is MimePart { Content: { } content })
            content.DecodeTo(stream);
    }
}

public static class MailAttachments
{
    private static readonly XNamespace Base = ActiveSyncNamespaces.AirSyncBase;

    public static IReadOnlyList<MailAttachment> Of(MimeMessage message)
        => message.BodyParts
            .Select((entity, index) => new MailAttachment(index, entity))
            .Where(a => a.Entity is MessagePart || a.Entity.IsAttachment || a.Entity is MimePart and not TextPart)
            .ToList();

    /// <summary>AirSyncBase:Attachments of an e-mail's ApplicationData (MS-ASAIRS 2.2.2.8), or null when it has none.</summary>
    public static XElement? Element(Item item, MimeMessage message)
    {
        var attachments = Of(message);
        return attachments.Count == 0 ? null : new XElement(Base + "Attachments", attachments.Select(a => new XElement(Base + "Attachment",
            new XElement(Base + "DisplayName", a.DisplayName),
            new XElement(Base + "FileReference", new FileReference(item.CollectionId, item.Id, a.Index).ToString()),
            new XElement(Base + "Method", a.Method),
            new XElement(Base + "EstimatedDataSize", a.Size()),
            a.Entity.ContentId is { Length: > 0 } contentId ? new XElement(Base + "ContentId", contentId) : null,
            a.IsInline ? new XElement(Base + "IsInline", 1) : null)));
    }

    /// <summary>The attachment a FileReference names, when it is one of <paramref name="account"/>'s messages; else null.</summary>
    public static async Task<MailAttachment?> FindAsync(IStore store, IBlobStore blobs, AccountId account, string? fileReference, CancellationToken cancellationToken)
    {
        if (!FileReference.TryParse(fileReference, out var reference)
            || await store.GetItemAsync(reference.Item, cancellationToken) is not { Mail: not null } item || item.AccountId != account)
            return null;
        var message = await StoredMessage.LoadAsync(item, blobs, cancellationToken);
        return Of(message.Message).FirstOrDefault(a => a.Index == reference.Index);
    }
}
