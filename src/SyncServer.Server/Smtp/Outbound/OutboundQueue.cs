using System.Threading.Channels;
using SyncServer.Core.Delivery;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Server.Smtp.Outbound;

/// <summary>The queue as local delivery sees it: store the message, then wake the worker.</summary>
public sealed class OutboundQueue(IOutboundQueueStore store, OutboundQueueSignal signal, ILogger<OutboundQueue> logger) : IOutboundQueue
{
    public async Task<QueuedMessageId> EnqueueAsync(string? mailFrom, IReadOnlyList<OutboundRecipient> recipients, BlobId blob, DsnEnvelope? dsn,
        CancellationToken cancellationToken)
    {
        var id = await store.EnqueueAsync(mailFrom, recipients, blob, dsn, cancellationToken);
        Log.Enqueued(logger, id.Value, recipients.Count);
        signal.Wake();
        return id;
    }
}

/// <summary>Wakes the queue worker early when a message is queued in this process.</summary>
public sealed class OutboundQueueSignal
{
    // One pending wake-up is enough: the worker reads everything due when it runs.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Returns after a wake-up or when <paramref name="delay"/> has passed on <paramref name="time"/>.</summary>
    public async Task WaitAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(delay, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await _wake.Reader.ReadAsync(either.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }
}
