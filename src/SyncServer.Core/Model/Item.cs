namespace SyncServer.Core.Model;

/// <summary>
/// A member of a collection: a message, a calendar object or a contact. Its bytes are <see cref="HeaderPrefix"/>
/// followed by the blob (exact bytes a client or sender gave); the side data is an index of them for queries.
/// <see cref="Size"/> counts prefix and blob; read the bytes through <c>Store.ItemContent</c>.
/// </summary>
public sealed record Item(
    ItemId Id,
    AccountId AccountId,
    CollectionId CollectionId,
    string ResourceName,
    ImapUid ImapUid,
    ModSeq ModSeq,
    ModSeq CreatedModSeq,
    string ETag,
    BlobId BlobId,
    long Size,
    DateTimeOffset InternalDate,
    MailIndex? Mail = null,
    CalendarIndex? Calendar = null,
    ContactIndex? Contact = null,
    ReadOnlyMemory<byte> HeaderPrefix = default,
    DeliveryId? UnfinishedDelivery = null);

/// <summary>IMAP system flags; keywords are kept apart as strings.</summary>
[Flags]
public enum MailFlags
{
    None = 0,
    Seen = 1,
    Answered = 2,
    Flagged = 4,
    Deleted = 8,
    Draft = 16,
}

/// <summary>Indexed side data of a message. <see cref="MimeStructure"/> is opaque to the store (IMAP's part offsets).</summary>
public sealed record MailIndex(
    MailFlags Flags,
    IReadOnlyList<string> Keywords,
    string? Subject = null,
    string? From = null,
    string? To = null,
    string? MessageId = null,
    DateTimeOffset? SentDate = null,
    string? MimeStructure = null);

/// <summary>Indexed side data of a calendar object: UTC bounds for time-range prefiltering (null end = open-ended).</summary>
public sealed record CalendarIndex(
    string Uid,
    string Component,
    DateTimeOffset? StartUtc,
    DateTimeOffset? EndUtc,
    bool IsRecurring);

/// <summary>Indexed side data of a contact.</summary>
public sealed record ContactIndex(
    string Uid,
    string? FormattedName,
    IReadOnlyList<string> Emails);

/// <summary>
/// What a caller gives to add an item. The blob must already be written through <c>IBlobStore</c>;
/// <see cref="Size"/> is the blob's length (the store adds the prefix's). A null <see cref="ResourceName"/>
/// lets the store make one. <see cref="HeaderPrefix"/> is per-item header lines (CRLF-terminated) put before the
/// blob, so one delivered body is stored once while each copy has its own trace headers. A copy filed by a delivery
/// names it in <see cref="UnfinishedDelivery"/>: the item is rolled back if the delivery never finishes.
/// </summary>
public sealed record NewItem(
    BlobId BlobId,
    long Size,
    DateTimeOffset InternalDate,
    string? ResourceName = null,
    MailIndex? Mail = null,
    CalendarIndex? Calendar = null,
    ContactIndex? Contact = null,
    ReadOnlyMemory<byte> HeaderPrefix = default,
    DeliveryId? UnfinishedDelivery = null);

/// <summary>
/// A change to an item: a new body (and its side data), or new mail flags. Null members are kept. A new body is
/// the item's whole content: its header prefix is dropped.
/// </summary>
public sealed record ItemUpdate(
    BlobId? BlobId = null,
    long? Size = null,
    MailIndex? Mail = null,
    CalendarIndex? Calendar = null,
    ContactIndex? Contact = null);
