using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SyncServer.Core.Store;

namespace SyncServer.Server.Hosting;

/// <summary>A task run at start and then once a day, on the injected clock; a failure is logged and retried the next day.</summary>
public abstract class DailyMaintenance(TimeProvider time, ILogger logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    protected TimeProvider Time { get; } = time;
    protected ILogger Logger { get; } = logger;

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, Time);
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
