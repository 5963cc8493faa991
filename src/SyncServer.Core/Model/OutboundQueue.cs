using SyncServer.Core.Delivery;

namespace SyncServer.Core.Model;

/// <summary>
/// A message in the outbound queue with all its recipients (delivered and failed ones until the message is
/// finished). Its bytes are <see cref="HeaderPrefix"/> then the blob.
/// </summary>
public sealed record QueuedMessage(
    QueuedMessageId Id,
    string? MailFrom,
    ReadOnlyMemory<byte> HeaderPrefix,
    BlobId Blob,
    DsnEnvelope? Dsn,
    DateTimeOffset CreatedAt,
    IReadOnlyList<QueuedRecipient> Recipients);

/// <summary>
/// One recipient's delivery state. <see cref="DelayWarned"/> and <see cref="FailureReported"/> record that the
/// sender got the matching DSN, so a restart never sends one twice.
/// </summary>
public sealed record QueuedRecipient(
    QueuedRecipientId Id,
    string Address,
    DsnRecipient? Dsn,
    QueueState State,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? LastError,
    bool DelayWarned,
    bool FailureReported)
{
    public string Domain => Address[(Address.LastIndexOf('@') + 1)..];
}

public enum QueueState
{
    Queued = 0,
    Delivered = 1,
    Failed = 2,
}

/// <summary>The result of one delivery attempt for some recipients; <see cref="NextAttemptAt"/> only for <see cref="QueueState.Queued"/>.</summary>
public sealed record RecipientOutcome(QueueState State, string? Error, DateTimeOffset? NextAttemptAt);

/// <summary>The two notices a sender may get before the final outcome is known or once it is.</summary>
public enum QueueNotice
{
    DelayWarning,
    FailureReport,
}
