using SyncServer.Core.Delivery;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Server.Hosting;

namespace SyncServer.Server.Smtp.Outbound;

/// <summary>
/// Delivers the outbound queue: each run sends every due recipient (one transaction per message and route),
/// records the outcomes, sends the notices due and drops finished messages; then it sleeps until the next
/// attempt is due, something is queued, or <see cref="PollInterval"/> passed. All state is in the store, so a
/// restarted worker carries on where the last one stopped.
/// </summary>
public sealed class OutboundQueueWorker(IOutboundQueueStore queue, SmtpRelay relay, QueueNotices notices, OutboundQueueSignal signal,
    QueueSettings settings, TimeProvider time, ILogger<OutboundQueueWorker> logger) : BackgroundService
{
    /// <summary>How often the worker looks without a wake-up: other processes (the CLI, other nodes) change the queue too.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMinutes(1);

    private const int BatchSize = 100;
    private const int ParallelDeliveries = 8;

    private readonly IReadOnlyList<TimeSpan> _retryDelays = settings.RetryDelays;
    private readonly TimeSpan _maxAge = settings.MaxAgeSpan;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = PollInterval;
            try
            {
                await RunOnceAsync(stoppingToken);
                wait = await TimeToNextAttemptAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                Log.RunFailed(logger, e);
            }
            await signal.WaitAsync(wait, time, stoppingToken);
        }
    }

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var attempts = (await queue.ListDueAsync(now, BatchSize, cancellationToken)).SelectMany(message => message.Recipients
            .Where(r => r.State == QueueState.Queued && r.NextAttemptAt <= now)
            .GroupBy(relay.RouteOf)
            .Select(route => (Message: message, Recipients: route.ToList())));
        // Several at once, so one slow mail exchanger (minutes per timeout) does not hold up everyone else's mail.
        await Parallel.ForEachAsync(attempts, new ParallelOptions { MaxDegreeOfParallelism = ParallelDeliveries, CancellationToken = cancellationToken },
            async (attempt, token) => await AttemptAsync(attempt.Message, attempt.Recipients, token));
        await notices.SendDueAsync(time.GetUtcNow(), settings.DelayWarningSpan, _maxAge, cancellationToken);
        await queue.DeleteFinishedAsync(cancellationToken);
    }

    private async Task AttemptAsync(QueuedMessage message, IReadOnlyList<QueuedRecipient> recipients, CancellationToken cancellationToken)
    {
        IReadOnlyList<(QueuedRecipient Recipient, DeliveryStatus Status)> results;
        try
        {
            // Not cancellable: once the server said 250, shutting down must not leave the recipients queued to be sent again.
            results = await relay.SendAsync(message, recipients,
                accepted => queue.SetOutcomeAsync(accepted.Select(r => r.Id).ToList(), new RecipientOutcome(QueueState.Delivered, null, null), CancellationToken.None),
                cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // A local fault (lost blob, database hiccup) is retried on the schedule so one message cannot stall the rest.
            Log.RunFailed(logger, e);
            results = recipients.Select(r => (r, new DeliveryStatus(451, "4.3.0", "local error: " + e.Message))).ToList();
        }

        var now = time.GetUtcNow();
        var undelivered = results.Where(r => !r.Status.IsSuccess).GroupBy(r => Outcome(message, r.Recipient, r.Status, now));
        foreach (var group in undelivered)
            await queue.SetOutcomeAsync(group.Select(r => r.Recipient.Id).ToList(), group.Key, cancellationToken);
        foreach (var (recipient, status) in results)
            Log.Attempted(logger, message.Id.Value, recipient.Address, status.Code, status.EnhancedCode, status.Text,
                status.IsSuccess ? "delivered" : status.IsTransient ? "retry" : "failed");
    }

    /// <summary>4xx: retry on the schedule until the message is <c>Queue:MaxAge</c> old; anything else failed for good.</summary>
    private RecipientOutcome Outcome(QueuedMessage message, QueuedRecipient recipient, DeliveryStatus status, DateTimeOffset now)
    {
        var error = $"{status.Code} {status.EnhancedCode} {status.Text}";
        if (!status.IsTransient)
            return new RecipientOutcome(QueueState.Failed, error, null);
        var deadline = message.CreatedAt + _maxAge;
        if (now >= deadline)
            return new RecipientOutcome(QueueState.Failed, $"{error} (gave up after {settings.MaxAge})", null);
        var next = now + _retryDelays[Math.Min(recipient.Attempts, _retryDelays.Count - 1)];
        // One last attempt at the deadline rather than a bounce up to a whole retry interval early.
        return new RecipientOutcome(QueueState.Queued, error, next < deadline ? next : deadline);
    }

    private async Task<TimeSpan> TimeToNextAttemptAsync(CancellationToken cancellationToken)
    {
        if (await queue.GetNextAttemptAsync(cancellationToken) is not { } next)
            return PollInterval;
        var wait = next - time.GetUtcNow();
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait < PollInterval ? wait : PollInterval;
    }
}
