namespace SyncServer.Core.Model;

/// <summary>
/// A member of a collection: a message, a calendar object or a contact. Its body is the blob (exact bytes a
/// client or sender gave); the side data is an index of it for queries.
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
    ContactIndex? Contact = null);

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
/// What a caller gives to add an item. The blob must already be written through <c>IBlobStore</c>.
/// A null <see cref="ResourceName"/> lets the store make one.
/// </summary>
public sealed record NewItem(
    BlobId BlobId,
    long Size,
    DateTimeOffset InternalDate,
    string? ResourceName = null,
    MailIndex? Mail = null,
    CalendarIndex? Calendar = null,
    ContactIndex? Contact = null);

/// <summary>A change to an item: a new body (and its side data), or new mail flags. Null members are kept.</summary>
public sealed record ItemUpdate(
    BlobId? BlobId = null,
    long? Size = null,
    MailIndex? Mail = null,
    CalendarIndex? Calendar = null,
    ContactIndex? Contact = null);
