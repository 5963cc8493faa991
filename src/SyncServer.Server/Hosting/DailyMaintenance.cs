using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SyncServer.Core.Delivery;
using SyncServer.Core.Store;
using SyncServer.Storage;

namespace SyncServer.Server.Hosting;

/// <summary>A task run at start and then once a day (or every <see cref="Period"/>), on the injected clock; a failure is logged and retried the next time.</summary>
public abstract class DailyMaintenance(TimeProvider time, ILogger logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    protected virtual TimeSpan Period => Interval;

    protected TimeProvider Time { get; } = time;
    protected ILogger Logger { get; } = logger;

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, Time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.MaintenanceFailed(Logger, GetType().Name, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

/// <summary>Drops change-log rows older than <c>Storage:ChangeRetentionDays</c>.</summary>
public sealed class ChangeLogPruning(IStore store, SyncServerSettings settings, TimeProvider time, ILogger<ChangeLogPruning> logger)
    : DailyMaintenance(time, logger)
{
    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var olderThan = Time.GetUtcNow() - TimeSpan.FromDays(settings.Storage.ChangeRetentionDays);
        Log.ChangesPruned(Logger, await store.PruneChangesAsync(olderThan, cancellationToken), olderThan);
    }
}

/// <summary>Deletes blobs no item references, after a grace period for blobs whose item is not committed yet.</summary>
public sealed class BlobSweep(IStore store, IBlobStore blobs, TimeProvider time, ILogger<BlobSweep> logger)
    : DailyMaintenance(time, logger)
{
    public static readonly TimeSpan GracePeriod = TimeSpan.FromHours(1);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
        => Log.BlobsSwept(Logger, await blobs.SweepAsync(store.IsBlobReferencedAsync, GracePeriod, cancellationToken));
}

/// <summary>
/// Rolls back deliveries that stored some copies and never reached their commit point (Core's
/// <see cref="UnfinishedDeliveries"/>): every few minutes, those older than any delivery in progress can be. At
/// startup the host has already rolled back what an earlier run left (<see cref="StartupCut"/>).
/// </summary>
public sealed class UnfinishedDeliveryRollback(IStore store, IOutboundQueueStore queue, TimeProvider time, ILogger<UnfinishedDeliveryRollback> logger)
    : DailyMaintenance(time, logger)
{
    /// <summary>Far longer than any delivery spends between its first copy and its commit point.</summary>
    public static readonly TimeSpan Abandoned = TimeSpan.FromMinutes(15);

    protected override TimeSpan Period => TimeSpan.FromMinutes(5);

    /// <summary>
    /// Where the startup roll-back cuts: an embedded database belongs to this one process, so everything left
    /// unfinished before it started is abandoned; a shared one may have another server delivering right now.
    /// </summary>
    public static DateTimeOffset StartupCut(StorageProvider provider, DateTimeOffset startedAt, DateTimeOffset now)
        => provider == StorageProvider.Sqlite ? startedAt : now - Abandoned;

    public static async Task RollBackAsync(IStore store, IOutboundQueueStore queue, DateTimeOffset startedBefore, ILogger logger, CancellationToken cancellationToken)
    {
        var count = await UnfinishedDeliveries.RollBackAsync(store, queue, startedBefore, cancellationToken);
        if (count > 0)
            Log.UnfinishedDeliveriesRolledBack(logger, count);
    }

    protected override Task RunOnceAsync(CancellationToken cancellationToken)
        => RollBackAsync(store, queue, Time.GetUtcNow() - Abandoned, Logger, cancellationToken);
}
