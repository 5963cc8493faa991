using SyncServer.Core.Delivery;
using SyncServer.Core.Model;

namespace SyncServer.Core.Store;

/// <summary>
/// The outbound queue's storage. Its blobs count as referenced for the blob sweep until the message is deleted.
/// A message is finished once every recipient is delivered, or failed and reported to the sender.
/// </summary>
public interface IOutboundQueueStore
{
    /// <summary>Stores the message with every recipient queued and due now.</summary>
    Task<QueuedMessageId> EnqueueAsync(RelayMessage message, CancellationToken cancellationToken);

    /// <summary>Every message in the queue, oldest first.</summary>
    Task<IReadOnlyList<QueuedMessage>> ListAsync(CancellationToken cancellationToken);

    Task<QueuedMessage?> GetAsync(QueuedMessageId id, CancellationToken cancellationToken);

    /// <summary>Messages with a queued recipient due at <paramref name="now"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<QueuedMessage>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Messages that owe their sender a notice: a failed recipient not yet reported, or a recipient still queued,
    /// not yet warned, in a message created before <paramref name="delayedSince"/>.
    /// </summary>
    Task<IReadOnlyList<QueuedMessage>> ListNoticesDueAsync(DateTimeOffset delayedSince, CancellationToken cancellationToken);

    /// <summary>The earliest next attempt of any queued recipient; null when none is queued.</summary>
    Task<DateTimeOffset?> GetNextAttemptAsync(CancellationToken cancellationToken);

    /// <summary>Records one attempt's outcome for the recipients (counts the attempt).</summary>
    Task SetOutcomeAsync(IReadOnlyList<QueuedRecipientId> recipients, RecipientOutcome outcome, CancellationToken cancellationToken);

    Task MarkNoticeSentAsync(IReadOnlyList<QueuedRecipientId> recipients, QueueNotice notice, CancellationToken cancellationToken);

    /// <summary>Makes the queued recipients of one message (or of all when null) due at <paramref name="now"/>; returns how many.</summary>
    Task<int> RetryNowAsync(QueuedMessageId? message, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Removes a message and its recipients whatever their state (false when absent).</summary>
    Task<bool> DeleteAsync(QueuedMessageId id, CancellationToken cancellationToken);

    /// <summary>Removes finished messages; returns how many.</summary>
    Task<int> DeleteFinishedAsync(CancellationToken cancellationToken);
}
