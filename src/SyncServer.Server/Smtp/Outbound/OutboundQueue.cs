using System.Threading.Channels;
using SyncServer.Core.Delivery;
using SyncServer.Core.Store;

namespace SyncServer.Server.Smtp.Outbound;

/// <summary>
/// The queue as local delivery sees it: store the message (durable on return), then wake the worker — at once, or
/// when the delivery that queued it finishes (the worker does not send a message of an unfinished delivery).
/// </summary>
public sealed class OutboundQueue(IOutboundQueueStore store, OutboundQueueSignal signal, ILogger<OutboundQueue> logger) : IRelayQueue
{
    public static readonly DeliveryStatus Queued = new(250, "2.0.0", "queued for delivery");

    public async Task<DeliveryStatus> EnqueueAsync(RelayMessage message, CancellationToken cancellationToken)
    {
        var id = await store.EnqueueAsync(message, cancellationToken);
        Log.Enqueued(logger, id.Value, message.Recipients.Count);
        if (message.UnfinishedDelivery is null)
            signal.Wake();
        return Queued;
    }

    public void DeliveryFinished() => signal.Wake();
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
