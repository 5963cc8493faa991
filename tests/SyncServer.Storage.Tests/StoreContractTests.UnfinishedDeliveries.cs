using SyncServer.Core.Changes;
using SyncServer.Core.Delivery;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Storage.Tests;

/// <summary>
/// Issue 3, durability: a delivery files its copies one account at a time, each under its delivery id, and finishes
/// just before the 250. What a crash leaves unfinished is listed, held back from the queue worker, and rolled back.
/// </summary>
public abstract partial class StoreContractTests
{
    private async Task<Item> AddCopyAsync(AccountId account, DeliveryId delivery, string text)
    {
        var (blob, size) = await WriteBlobAsync(text);
        await using var tx = await Store.BeginAsync(account, None);
        var item = await tx.AddItemAsync((await CollectionAsync(account, CollectionRole.Inbox)).Id,
            new NewItem(blob, size, Time.GetUtcNow(), Mail: new MailIndex(MailFlags.None, []), UnfinishedDelivery: delivery), None);
        await tx.CommitAsync(None);
        return item;
    }

    private async Task<QueuedMessageId> EnqueueUnfinishedAsync(DeliveryId delivery, string recipient)
    {
        var (blob, size) = await WriteBlobAsync("Subject: relayed\r\n\r\nbody\r\n");
        return await Queue.EnqueueAsync(new RelayMessage("a@example.com", [new RelayRecipient(recipient, null)], blob, size, default, null, delivery), None);
    }

    [Test]
    public async Task UnfinishedDelivery_ListsEveryCopyAndQueuedMessage_UntilFinished()
    {
        var alice = await CreateUserAsync("alice@example.com");
        var bob = await CreateUserAsync("bob@example.com");
        var delivery = new DeliveryId("d1");
        var aliceCopy = await AddCopyAsync(alice, delivery, "Subject: one\r\n\r\n");
        var bobCopy = await AddCopyAsync(bob, delivery, "Subject: one\r\n\r\n");
        var queued = await EnqueueUnfinishedAsync(delivery, "carol@remote.example");
        Time.Advance(TimeSpan.FromSeconds(1));

        var parts = await Store.ListUnfinishedDeliveriesAsync(Time.GetUtcNow(), None);
        Assert.That(parts, Is.EquivalentTo(new[]
        {
            new UnfinishedDeliveryPart(delivery, alice, aliceCopy.Id, null),
            new UnfinishedDeliveryPart(delivery, bob, bobCopy.Id, null),
            new UnfinishedDeliveryPart(delivery, null, null, queued),
        }));
        Assert.That(await Store.ListUnfinishedDeliveriesAsync(Time.GetUtcNow().AddSeconds(-2), None), Is.Empty, "begun after the cut");

        await Store.FinishDeliveryAsync(delivery, None);
        Assert.That(await Store.ListUnfinishedDeliveriesAsync(Time.GetUtcNow(), None), Is.Empty);
        Assert.That(await Store.GetItemAsync(aliceCopy.Id, None), Is.Not.Null, "finishing keeps the copies");
    }

    [Test]
    public async Task UnfinishedDelivery_QueuedMessage_IsNotDueNorNoticed_UntilFinished()
    {
        var delivery = new DeliveryId("d2");
        var queued = await EnqueueUnfinishedAsync(delivery, "carol@remote.example");
        var now = Time.GetUtcNow();
        Assert.That(await Queue.ListDueAsync(now, 10, None), Is.Empty);
        Assert.That(await Queue.GetNextAttemptAsync(None), Is.Null);
        Assert.That(await Queue.ListNoticesDueAsync(now.AddDays(1), None), Is.Empty);

        await Store.FinishDeliveryAsync(delivery, None);
        Assert.That((await Queue.ListDueAsync(now, 10, None)).Select(m => m.Id), Is.EqualTo(new[] { queued }));
        Assert.That(await Queue.GetNextAttemptAsync(None), Is.Not.Null);
    }

    [Test]
    public async Task UnfinishedDelivery_RollBack_DeletesItsCopiesWithTombstones_AndItsQueuedMessage_OnlyForDeliveriesBeforeTheCut()
    {
        var alice = await CreateUserAsync("alice@example.com");
        var bob = await CreateUserAsync("bob@example.com");
        var inbox = await CollectionAsync(alice, CollectionRole.Inbox);
        var crashed = new DeliveryId("crashed");
        var aliceCopy = await AddCopyAsync(alice, crashed, "Subject: crashed\r\n\r\n");
        var bobCopy = await AddCopyAsync(bob, crashed, "Subject: crashed\r\n\r\n");
        var queued = await EnqueueUnfinishedAsync(crashed, "carol@remote.example");
        var cut = Time.GetUtcNow().AddMilliseconds(1);
        Time.Advance(TimeSpan.FromSeconds(1));
        var inProgress = await AddCopyAsync(alice, new DeliveryId("in-progress"), "Subject: still going\r\n\r\n");
        var before = (await Store.GetChangesAsync(inbox.Id, ModSeq.Zero, 100, None)).NextModSeq;

        Assert.That(await UnfinishedDeliveries.RollBackAsync(Store, Queue, cut, None), Is.EqualTo(1));

        Assert.That(await Store.GetItemAsync(aliceCopy.Id, None), Is.Null);
        Assert.That(await Store.GetItemAsync(bobCopy.Id, None), Is.Null);
        Assert.That(await Queue.GetAsync(queued, None), Is.Null);
        Assert.That(await Store.GetItemAsync(inProgress.Id, None), Is.Not.Null, "a delivery begun after the cut is left alone");
        var changes = await Store.GetChangesAsync(inbox.Id, before, 100, None);
        Assert.That(changes.Changes.Select(c => (c.ItemId, c.Kind)), Is.EqualTo(new[] { (aliceCopy.Id, ItemChangeKind.Deleted) }),
            "IMAP, ActiveSync and DAV clients that saw the copy are told it went");
        Assert.That((await Store.ListUnfinishedDeliveriesAsync(Time.GetUtcNow().AddSeconds(1), None)).Select(p => p.Delivery.Value), Is.EqualTo(new[] { "in-progress" }));
    }

    [Test]
    public async Task UnfinishedDelivery_CopyDeletedByItsUser_LeavesNothingToRollBack()
    {
        var alice = await CreateUserAsync("alice@example.com");
        var copy = await AddCopyAsync(alice, new DeliveryId("d3"), "Subject: read and deleted\r\n\r\n");
        await using (var tx = await Store.BeginAsync(alice, None))
        {
            await tx.DeleteItemAsync(copy.Id, None);
            await tx.CommitAsync(None);
        }
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(await Store.ListUnfinishedDeliveriesAsync(Time.GetUtcNow(), None), Is.Empty);
    }
}
