using SyncServer.Core.Model;

namespace SyncServer.Storage.Sql;

// Row shapes as Dapper reads them (columns aliased to these names), and their conversion to the model.
// Times are unix milliseconds; text lists (keywords, emails) are newline-separated.

internal static class SqlValues
{
    public static long Ms(DateTimeOffset value) => value.ToUnixTimeMilliseconds();
    public static long? Ms(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();
    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
    public static DateTimeOffset? Time(long? ms) => ms is { } v ? Time(v) : null;
    public static string JoinLines(IReadOnlyList<string> values) => string.Join('\n', values);
    public static IReadOnlyList<string> SplitLines(string? text)
        => string.IsNullOrEmpty(text) ? [] : text.Split('\n');
}

internal sealed class CollectionRow
{
    public const string Select = """
        SELECT id AS Id, account_id AS AccountId, parent_id AS ParentId, name AS Name, kind AS Kind, role AS Role,
               uid_validity AS UidValidity, next_uid AS NextUid, highest_modseq AS HighestModSeq, created_modseq AS CreatedModSeq
        FROM collections
        """;

    public long Id { get; set; }
    public long AccountId { get; set; }
    public long? ParentId { get; set; }
    public string Name { get; set; } = "";
    public long Kind { get; set; }
    public long Role { get; set; }
    public long UidValidity { get; set; }
    public long NextUid { get; set; }
    public long HighestModSeq { get; set; }
    public long CreatedModSeq { get; set; }

    public Collection ToModel() => new(
        new CollectionId(Id), new AccountId(AccountId), ParentId is { } p ? new CollectionId(p) : null, Name,
        (CollectionKind)Kind, (CollectionRole)Role, new UidValidity((uint)UidValidity), new ImapUid((uint)NextUid),
        new ModSeq(HighestModSeq), new ModSeq(CreatedModSeq));
}

internal sealed class ItemRow
{
    public const string Select = """
        SELECT i.id AS Id, i.account_id AS AccountId, i.collection_id AS CollectionId, i.resource_name AS ResourceName,
               i.imap_uid AS ImapUid, i.modseq AS ModSeq, i.created_modseq AS CreatedModSeq, i.etag AS ETag,
               i.blob_id AS BlobId, i.header_prefix AS HeaderPrefix, i.size AS Size, i.internal_date AS InternalDate,
               m.item_id AS MailItemId, m.flags AS Flags, m.keywords AS Keywords, m.subject AS Subject,
               m.from_address AS FromAddress, m.to_address AS ToAddress, m.message_id AS MessageId,
               m.sent_date AS SentDate, m.mime_structure AS MimeStructure,
               c.item_id AS CalendarItemId, c.uid AS CalendarUid, c.component AS Component, c.start_utc AS StartUtc,
               c.end_utc AS EndUtc, c.is_recurring AS IsRecurring,
               k.item_id AS ContactItemId, k.uid AS ContactUid, k.fn AS FormattedName, k.emails AS Emails
        FROM items i
        LEFT JOIN mail_index m ON m.item_id = i.id
        LEFT JOIN calendar_index c ON c.item_id = i.id
        LEFT JOIN contact_index k ON k.item_id = i.id
        """;

    public long Id { get; set; }
    public long AccountId { get; set; }
    public long CollectionId { get; set; }
    public string ResourceName { get; set; } = "";
    public long ImapUid { get; set; }
    public long ModSeq { get; set; }
    public long CreatedModSeq { get; set; }
    public string ETag { get; set; } = "";
    public string BlobId { get; set; } = "";
    public byte[] HeaderPrefix { get; set; } = [];
    public long Size { get; set; }
    public long InternalDate { get; set; }

    public long? MailItemId { get; set; }
    public long? Flags { get; set; }
    public string? Keywords { get; set; }
    public string? Subject { get; set; }
    public string? FromAddress { get; set; }
    public string? ToAddress { get; set; }
    public string? MessageId { get; set; }
    public long? SentDate { get; set; }
    public string? MimeStructure { get; set; }

    public long? CalendarItemId { get; set; }
    public string? CalendarUid { get; set; }
    public string? Component { get; set; }
    public long? StartUtc { get; set; }
    public long? EndUtc { get; set; }
    public bool? IsRecurring { get; set; }

    public long? ContactItemId { get; set; }
    public string? ContactUid { get; set; }
    public string? FormattedName { get; set; }
    public string? Emails { get; set; }

    public Item ToModel() => new(
        new ItemId(Id), new AccountId(AccountId), new CollectionId(CollectionId), ResourceName,
        new ImapUid((uint)ImapUid), new ModSeq(ModSeq), new ModSeq(CreatedModSeq), ETag, new BlobId(BlobId), Size,
        SqlValues.Time(InternalDate),
        MailItemId is null ? null : new MailIndex(
            (MailFlags)(Flags ?? 0), SqlValues.SplitLines(Keywords), Subject, FromAddress, ToAddress, MessageId,
            SqlValues.Time(SentDate), MimeStructure),
        CalendarItemId is null ? null : new CalendarIndex(
            CalendarUid!, Component!, SqlValues.Time(StartUtc), SqlValues.Time(EndUtc), IsRecurring ?? false),
        ContactItemId is null ? null : new ContactIndex(ContactUid!, FormattedName, SqlValues.SplitLines(Emails)),
        HeaderPrefix);
}

internal sealed class AccountRow
{
    public const string Select = """
        SELECT id AS Id, address AS Address, display_name AS DisplayName, password_hash AS PasswordHash,
               quota_bytes AS QuotaBytes, used_bytes AS UsedBytes, enabled AS Enabled, kind AS Kind,
               modseq AS ModSeq, created_at AS CreatedAt
        FROM accounts
        """;

    public long Id { get; set; }
    public string Address { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string PasswordHash { get; set; } = "";
    public long? QuotaBytes { get; set; }
    public long UsedBytes { get; set; }
    public bool Enabled { get; set; }
    public long Kind { get; set; }
    public long ModSeq { get; set; }
    public long CreatedAt { get; set; }

    public Account ToModel() => new(
        new AccountId(Id), Address, DisplayName, PasswordHash, QuotaBytes, UsedBytes, Enabled, (AccountKind)Kind,
        new ModSeq(ModSeq), SqlValues.Time(CreatedAt));
}
