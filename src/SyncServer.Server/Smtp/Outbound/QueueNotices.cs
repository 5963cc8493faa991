using MimeKit;
using SyncServer.Core.Delivery;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Server.Smtp.Outbound;

/// <summary>
/// Tells senders what became of their mail: a bounce once recipients failed, one delay warning while they are
/// still retried after a while. Notices go through local delivery from the null reverse path, so a notice that
/// cannot be delivered is never bounced, and mail from <c>&lt;&gt;</c> never gets one.
/// </summary>
public sealed class QueueNotices(IOutboundQueueStore queue, IBlobStore blobs, IDeliveryTarget delivery, DeliveryReport reports,
    ILogger<QueueNotices> logger)
{
    private static readonly DeliveryOrigin Origin = new(DeliveryChannel.Internal, null, null, null, false);

    public async Task SendDueAsync(DateTimeOffset now, TimeSpan delayWarningAfter, TimeSpan maxAge, CancellationToken cancellationToken)
    {
        var delayedSince = now - delayWarningAfter;
        foreach (var message in await queue.ListNoticesDueAsync(delayedSince, cancellationToken))
        {
            var failed = message.Recipients.Where(r => r.State == QueueState.Failed && !r.FailureReported).ToList();
            var delayed = message.CreatedAt <= delayedSince
                ? message.Recipients.Where(r => r.State == QueueState.Queued && !r.DelayWarned).ToList()
                : [];
            try
            {
                await SendAsync(message, failed, QueueNotice.FailureReport, now, message.CreatedAt + maxAge, cancellationToken);
                await SendAsync(message, delayed, QueueNotice.DelayWarning, now, message.CreatedAt + maxAge, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // One broken message (say, its blob lost) must not hold back the other senders' notices.
                Log.NoticeFailed(logger, message.Id.Value, e);
            }
        }
    }

    private async Task SendAsync(QueuedMessage message, IReadOnlyList<QueuedRecipient> recipients, QueueNotice notice,
        DateTimeOffset now, DateTimeOffset retryUntil, CancellationToken cancellationToken)
    {
        if (recipients.Count == 0)
            return;
        var wanted = recipients.Where(r => Wants(r.Dsn, notice)).ToList();
        if (message.MailFrom is { } sender && wanted.Count > 0
            && !await DeliverAsync(message, sender, wanted, notice, now, retryUntil, cancellationToken))
            return;
        await queue.MarkNoticeSentAsync(recipients.Select(r => r.Id).ToList(), notice, cancellationToken);
    }

    /// <summary>RFC 3461 §4.1: without NOTIFY we report failures and delays.</summary>
    private static bool Wants(DsnRecipient? dsn, QueueNotice notice) => dsn is null
        || (!dsn.Never && (notice == QueueNotice.FailureReport ? dsn.OnFailure : dsn.OnDelay));

    /// <summary>False when local delivery answered "try again later" (the notice is retried at the next run).</summary>
    private async Task<bool> DeliverAsync(QueuedMessage message, string sender, IReadOnlyList<QueuedRecipient> recipients, QueueNotice notice,
        DateTimeOffset now, DateTimeOffset retryUntil, CancellationToken cancellationToken)
    {
        MimeMessage report;
        await using (var original = await ItemContent.OpenAsync(message.HeaderPrefix, message.Blob, blobs, cancellationToken))
            report = await reports.CreateAsync(message, sender, recipients, notice, now, retryUntil, original, cancellationToken);
        using var bytes = new MemoryStream();
        await report.WriteToAsync(bytes, cancellationToken);

        await using var transaction = await delivery.BeginAsync(Origin, null, null, cancellationToken);
        var status = await transaction.AddRecipientAsync(sender, null, cancellationToken);
        if (status.IsSuccess)
        {
            await transaction.WriteBodyAsync(bytes.GetBuffer().AsMemory(0, (int)bytes.Length), cancellationToken);
            status = (await transaction.CommitAsync(cancellationToken)).Single().Status;
        }
        if (status.IsSuccess)
            Log.NoticeSent(logger, notice.ToString(), message.Id.Value, sender, recipients.Count);
        else
            Log.NoticeRefused(logger, notice.ToString(), message.Id.Value, sender, $"{status.Code} {status.EnhancedCode} {status.Text}");
        return !status.IsTransient;
    }
}
