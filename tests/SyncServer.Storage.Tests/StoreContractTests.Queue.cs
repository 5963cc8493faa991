using System.Text;
using SyncServer.Core.Delivery;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Storage.Tests;

/// <summary>The outbound queue's storage on every engine.</summary>
public abstract partial class StoreContractTests
{
    private IOutboundQueueStore Queue => Opened.Queue;

    private async Task<QueuedMessageId> EnqueueAsync(string? mailFrom, params string[] recipients)
    {
        var (blob, size) = await WriteBlobAsync("Subject: queued " + string.Join(",", recipients) + "\r\n\r\nbody\r\n");
        return await Queue.EnqueueAsync(new RelayMessage(mailFrom, recipients.Select(r => new RelayRecipient(r, null)).ToList(), blob, size, default, null), None);
    }

    [Test]
    public async Task Queue_Enqueue_KeepsEnvelopeAndDsnParameters_AndSurvivesReopen()
    {
        var (blob, size) = await WriteBlobAsync("Subject: hi\r\n\r\nbody\r\n");
        var dsn = new DsnRecipient(Never: false, OnSuccess: true, OnFailure: true, OnDelay: false, "rfc822;Bob@Remote.example");
        var received = Encoding.ASCII.GetBytes("Received: from a by b; Wed, 25 Nov 2026 10:00:00 +0000\r\n");
        var id = await Queue.EnqueueAsync(new RelayMessage("alice@example.com",
            [new RelayRecipient("bob@remote.example", dsn), new RelayRecipient("carol@other.example", null)],
            blob, size, received, new DsnEnvelope(ReturnFullMessage: true, "env-1")), None);
        await ReopenAsync();

        var message = (await Queue.GetAsync(id, None))!;
        Assert.That((message.MailFrom, message.Blob, message.Dsn), Is.EqualTo(("alice@example.com", blob, new DsnEnvelope(true, "env-1"))));
        Assert.That(message.HeaderPrefix.ToArray(), Is.EqualTo(received));
        Assert.That(message.CreatedAt, Is.EqualTo(Time.GetUtcNow()).Within(TimeSpan.FromMilliseconds(1)));
        Assert.That(message.Recipients.Select(r => (r.Address, r.Domain, r.Dsn, r.State, r.Attempts, r.LastError, r.DelayWarned, r.FailureReported)),
            Is.EqualTo(new[]
            {
                ("bob@remote.example", "remote.example", (DsnRecipient?)dsn, QueueState.Queued, 0, (string?)null, false, false),
                ("carol@other.example", "other.example", null, QueueState.Queued, 0, null, false, false),
            }));
        Assert.That((await Queue.ListAsync(None)).Select(m => m.Id), Is.EqualTo(new[] { id }));
    }

    [Test]
    public async Task Queue_NullSenderAndNoDsn_RoundTrip()
    {
        var id = await EnqueueAsync(null, "x@remote.example");
        var message = (await Queue.GetAsync(id, None))!;
        Assert.That(message.HeaderPrefix.IsEmpty, Is.True);
        Assert.That((message.MailFrom, message.Dsn, message.Recipients.Single().Dsn), Is.EqualTo(((string?)null, (DsnEnvelope?)null, (DsnRecipient?)null)));
        Assert.That(await Queue.GetAsync(new QueuedMessageId(id.Value + 100), None), Is.Null);
    }

    [Test]
    public async Task Queue_Due_OnlyQueuedRecipientsWhoseTimeHasCome_NextAttemptIsTheEarliest()
    {
        var first = await EnqueueAsync("a@example.com", "one@remote.example", "two@remote.example");
        var second = await EnqueueAsync("a@example.com", "three@remote.example");
        var now = Time.GetUtcNow();
        Assert.That((await Queue.ListDueAsync(now, 10, None)).Select(m => m.Id), Is.EqualTo(new[] { first, second }));
        Assert.That((await Queue.ListDueAsync(now, 1, None)).Select(m => m.Id), Is.EqualTo(new[] { first }));

        var recipients = (await Queue.GetAsync(first, None))!.Recipients;
        await Queue.SetOutcomeAsync([recipients[0].Id], new RecipientOutcome(QueueState.Delivered, null, null), None);
        await Queue.SetOutcomeAsync([recipients[1].Id], new RecipientOutcome(QueueState.Queued, "451 4.3.0 busy", now.AddMinutes(5)), None);
        var third = (await Queue.GetAsync(second, None))!.Recipients.Single();
        await Queue.SetOutcomeAsync([third.Id], new RecipientOutcome(QueueState.Queued, "421 later", now.AddMinutes(15)), None);

        Assert.That(await Queue.ListDueAsync(now, 10, None), Is.Empty);
        Assert.That(await Queue.GetNextAttemptAsync(None), Is.EqualTo(now.AddMinutes(5)).Within(TimeSpan.FromMilliseconds(1)));
        var due = (await Queue.ListDueAsync(now.AddMinutes(5), 10, None)).Single();
        Assert.That(due.Recipients.Select(r => (r.State, r.Attempts, r.LastError)),
            Is.EqualTo(new[] { (QueueState.Delivered, 1, (string?)null), (QueueState.Queued, 1, "451 4.3.0 busy") }));
    }

    [Test]
    public async Task Queue_RetryNow_MakesQueuedRecipientsDue_OfOneMessageOrAll()
    {
        var first = await EnqueueAsync("a@example.com", "one@remote.example");
        var second = await EnqueueAsync("a@example.com", "two@remote.example");
        var later = Time.GetUtcNow().AddHours(1);
        foreach (var id in new[] { first, second })
            await Queue.SetOutcomeAsync([(await Queue.GetAsync(id, None))!.Recipients.Single().Id], new RecipientOutcome(QueueState.Queued, "451", later), None);

        var now = Time.GetUtcNow();
        Assert.That(await Queue.RetryNowAsync(second, now, None), Is.EqualTo(1));
        Assert.That((await Queue.ListDueAsync(now, 10, None)).Select(m => m.Id), Is.EqualTo(new[] { second }));
        Assert.That(await Queue.RetryNowAsync(null, now, None), Is.EqualTo(2));
        Assert.That(await Queue.ListDueAsync(now, 10, None), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Queue_Notices_FailedUntilReported_DelayedOnceAfterTheThreshold()
    {
        var failing = await EnqueueAsync("a@example.com", "gone@remote.example");
        var created = Time.GetUtcNow();
        Time.Advance(TimeSpan.FromHours(1));
        var slow = await EnqueueAsync("a@example.com", "slow@remote.example");
        var gone = (await Queue.GetAsync(failing, None))!.Recipients.Single();
        await Queue.SetOutcomeAsync([gone.Id], new RecipientOutcome(QueueState.Failed, "550 5.1.1 no such user", null), None);

        // Only the failure is due while the slow message is younger than the threshold.
        Assert.That((await Queue.ListNoticesDueAsync(created, None)).Select(m => m.Id), Is.EqualTo(new[] { failing }));
        await Queue.MarkNoticeSentAsync([gone.Id], QueueNotice.FailureReport, None);
        Assert.That(await Queue.ListNoticesDueAsync(created, None), Is.Empty);

        var delayedSince = created.AddHours(1);
        var waiting = (await Queue.ListNoticesDueAsync(delayedSince, None)).Single();
        Assert.That(waiting.Id, Is.EqualTo(slow));
        await Queue.MarkNoticeSentAsync([waiting.Recipients.Single().Id], QueueNotice.DelayWarning, None);
        Assert.That(await Queue.ListNoticesDueAsync(delayedSince, None), Is.Empty);
        Assert.That((await Queue.GetAsync(slow, None))!.Recipients.Single().DelayWarned, Is.True);
    }

    [Test]
    public async Task Queue_DeleteFinished_RemovesMessagesDeliveredOrFailedAndReported_Only()
    {
        var delivered = await EnqueueAsync("a@example.com", "one@remote.example");
        var failedUnreported = await EnqueueAsync("a@example.com", "two@remote.example");
        var stillQueued = await EnqueueAsync("a@example.com", "three@remote.example");
        async Task<QueuedRecipientId> Recipient(QueuedMessageId id) => (await Queue.GetAsync(id, None))!.Recipients.Single().Id;
        await Queue.SetOutcomeAsync([await Recipient(delivered)], new RecipientOutcome(QueueState.Delivered, null, null), None);
        await Queue.SetOutcomeAsync([await Recipient(failedUnreported)], new RecipientOutcome(QueueState.Failed, "550", null), None);

        Assert.That(await Queue.DeleteFinishedAsync(None), Is.EqualTo(1));
        Assert.That((await Queue.ListAsync(None)).Select(m => m.Id), Is.EqualTo(new[] { failedUnreported, stillQueued }));
        await Queue.MarkNoticeSentAsync([await Recipient(failedUnreported)], QueueNotice.FailureReport, None);
        Assert.That(await Queue.DeleteFinishedAsync(None), Is.EqualTo(1));

        Assert.That(await Queue.DeleteAsync(stillQueued, None), Is.True);
        Assert.That(await Queue.DeleteAsync(stillQueued, None), Is.False);
        Assert.That(await Queue.ListAsync(None), Is.Empty);
    }

    [Test]
    public async Task Queue_BlobOfAQueuedMessage_IsReferencedUntilTheMessageIsDeleted()
    {
        var id = await EnqueueAsync("a@example.com", "one@remote.example");
        var blob = (await Queue.GetAsync(id, None))!.Blob;
        Assert.That(await Store.IsBlobReferencedAsync(blob, None), Is.True);
        Time.Advance(TimeSpan.FromDays(1));
        Assert.That(await Opened.Blobs.SweepAsync(Store.IsBlobReferencedAsync, TimeSpan.Zero, None), Is.Zero);
        Assert.That(Opened.Blobs.Exists(blob), Is.True);

        await Queue.DeleteAsync(id, None);
        Assert.That(await Store.IsBlobReferencedAsync(blob, None), Is.False);
    }
}
