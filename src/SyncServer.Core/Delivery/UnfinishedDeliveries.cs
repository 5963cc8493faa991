using SyncServer.Core.Store;

namespace SyncServer.Core.Delivery;

/// <summary>
/// Rolls back deliveries that stored some of their copies and never reached their commit point (the process died,
/// or the database failed at <c>FinishDeliveryAsync</c>). Their sender got no 250 and sends again, so each copy
/// written is deleted (a tombstone in its account's change log, like any expunge) and each queued message removed
/// before the queue sent it — the queue does not send a message of an unfinished delivery.
/// </summary>
public static class UnfinishedDeliveries
{
    /// <summary>
    /// Rolls back the deliveries begun before <paramref name="startedBefore"/>: at startup on an embedded database
    /// (one process) everything before the start; on a shared database only those older than any delivery can last,
    /// since another server may be delivering right now. Returns how many deliveries were rolled back.
    /// </summary>
    public static async Task<int> RollBackAsync(IStore store, IOutboundQueueStore queue, DateTimeOffset startedBefore, CancellationToken cancellationToken)
    {
        var parts = await store.ListUnfinishedDeliveriesAsync(startedBefore, cancellationToken);
        foreach (var copies in parts.Where(p => p is { Account: not null, Item: not null }).GroupBy(p => p.Account!.Value))
        {
            await using var transaction = await store.BeginAsync(copies.Key, cancellationToken);
            foreach (var copy in copies)
                await transaction.DeleteItemAsync(copy.Item!.Value, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        foreach (var queued in parts.Select(p => p.QueuedMessage).OfType<Model.QueuedMessageId>())
            await queue.DeleteAsync(queued, cancellationToken);
        var deliveries = parts.Select(p => p.Delivery).Distinct().ToList();
        // Rows whose item or queued message went meanwhile went with it (ON DELETE CASCADE); this clears the rest.
        foreach (var delivery in deliveries)
            await store.FinishDeliveryAsync(delivery, cancellationToken);
        return deliveries.Count;
    }
}
