using SyncServer.Core.Delivery;
using SyncServer.Core.Model;

namespace SyncServer.Storage.Sql;

// Row shapes of the outbound queue tables as Dapper reads them, and the DSN parameters as stored.

internal sealed class QueueMessageRow
{
    public const string Select = """
        SELECT m.id AS Id, m.mail_from AS MailFrom, m.header_prefix AS HeaderPrefix, m.blob_id AS BlobId, m.ret_full AS RetFull,
               m.envelope_id AS EnvelopeId, m.created_at AS CreatedAt
        FROM queue_messages m
        """;

    public long Id { get; set; }
    public string? MailFrom { get; set; }
    public byte[] HeaderPrefix { get; set; } = [];
    public string BlobId { get; set; } = "";
    public bool? RetFull { get; set; }
    public string? EnvelopeId { get; set; }
    public long CreatedAt { get; set; }

    public QueuedMessage ToModel(IReadOnlyList<QueuedRecipient> recipients) => new(
        new QueuedMessageId(Id), MailFrom, HeaderPrefix, new BlobId(BlobId),
        RetFull is { } full ? new DsnEnvelope(full, EnvelopeId) : null, SqlValues.Time(CreatedAt), recipients);
}

internal sealed class QueueRecipientRow
{
    public const string Select = """
        SELECT id AS Id, message_id AS MessageId, address AS Address, notify AS Notify, orcpt AS Orcpt, state AS State,
               attempts AS Attempts, next_attempt_at AS NextAttemptAt, last_error AS LastError,
               delay_warned AS DelayWarned, failure_reported AS FailureReported
        FROM queue_recipients
        """;

    public long Id { get; set; }
    public long MessageId { get; set; }
    public string Address { get; set; } = "";
    public long? Notify { get; set; }
    public string? Orcpt { get; set; }
    public long State { get; set; }
    public long Attempts { get; set; }
    public long NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public bool DelayWarned { get; set; }
    public bool FailureReported { get; set; }

    public QueuedRecipient ToModel() => new(
        new QueuedRecipientId(Id), Address, NotifyBits.ToDsn(Notify, Orcpt), (QueueState)State, (int)Attempts,
        SqlValues.Time(NextAttemptAt), LastError, DelayWarned, FailureReported);
}

/// <summary>RCPT NOTIFY as the bits of the <c>notify</c> column (NULL: no DSN parameters were given).</summary>
internal static class NotifyBits
{
    private const long Never = 1, Success = 2, Failure = 4, Delay = 8;

    public static long? FromDsn(DsnRecipient? dsn) => dsn is null ? null
        : (dsn.Never ? Never : 0) | (dsn.OnSuccess ? Success : 0) | (dsn.OnFailure ? Failure : 0) | (dsn.OnDelay ? Delay : 0);

    public static DsnRecipient? ToDsn(long? bits, string? orcpt) => bits is { } b
        ? new DsnRecipient((b & Never) != 0, (b & Success) != 0, (b & Failure) != 0, (b & Delay) != 0, orcpt)
        : null;
}
