using SyncServer.Core.Changes;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Storage.Tests;

public abstract partial class StoreContractTests
{
    [Test]
    public async Task EightConcurrentWriters_OneAccount_ModSeqsUniqueIncreasing_NoLostUpdate_ChangeLogExact()
    {
        var account = await CreateUserAsync("busy@example.com");
        var inbox = await CollectionAsync(account, CollectionRole.Inbox);
        var (blob, size) = await WriteBlobAsync("shared body");
        const int Writers = 8, TransactionsEach = 15;
        var events = new System.Collections.Concurrent.ConcurrentBag<(long ModSeq, ItemId Id, ItemChangeKind Kind)>();

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            Item? previous = null;
            for (var i = 0; i < TransactionsEach; i++)
            {
                await using var tx = await Store.BeginAsync(account, None);
                var deleting = i % 3 == 2 ? previous : null;
                if (deleting is not null)
                    await tx.DeleteItemAsync(deleting.Id, None);
                var item = await tx.AddItemAsync(inbox.Id, new NewItem(blob, size, Time.GetUtcNow(), $"w{w}-{i}.eml"), None);
                await tx.CommitAsync(None);
                // Changes of one transaction take consecutive modseqs, so the delete had the one before the add.
                if (deleting is not null)
                    events.Add((item.ModSeq.Value - 1, deleting.Id, ItemChangeKind.Deleted));
                events.Add((item.ModSeq.Value, item.Id, ItemChangeKind.Created));
                previous = item;
            }
        })));

        var ordered = events.OrderBy(e => e.ModSeq).ToList();
        Assert.That(ordered.Select(e => e.ModSeq).Distinct().Count(), Is.EqualTo(ordered.Count), "modseqs are unique");
        var inboxNow = (await Store.GetCollectionAsync(inbox.Id, None))!;
        Assert.That(inboxNow.NextUid.Value, Is.EqualTo((uint)(Writers * TransactionsEach + 1)), "no lost UID update");
        Assert.That(inboxNow.HighestModSeq.Value, Is.EqualTo(ordered[^1].ModSeq));
        Assert.That((await Dir.GetAccountAsync(account, None))!.ModSeq.Value, Is.EqualTo(ordered[^1].ModSeq));
        var deletes = ordered.Count(e => e.Kind == ItemChangeKind.Deleted);
        Assert.That((await Dir.GetAccountAsync(account, None))!.UsedBytes, Is.EqualTo(size * (Writers * TransactionsEach - deletes)));

        // From any point, the folded changes are exactly what was committed after it, in modseq order.
        foreach (var since in new[] { 0L }.Concat(ordered.Select(e => e.ModSeq)))
        {
            var expected = ordered.Where(e => e.ModSeq > since).GroupBy(e => e.Id)
                .Where(g => !(g.First().Kind == ItemChangeKind.Created && g.Last().Kind == ItemChangeKind.Deleted))
                .Select(g => (g.Last().ModSeq, g.Key, g.Last().Kind)).OrderBy(e => e.ModSeq).ToList();
            var actual = await Store.GetChangesAsync(inbox.Id, new ModSeq(since), 1000, None);
            Assert.That(actual.Changes.Select(c => (c.ModSeq.Value, c.ItemId, c.Kind)), Is.EqualTo(expected), $"since {since}");
        }
    }

    [Test]
    public async Task RolledBackTransaction_LeavesNoChangeRowNoItemAndItsBlobUnreferenced()
    {
        var account = await CreateUserAsync("undo@example.com");
        var inbox = await CollectionAsync(account, CollectionRole.Inbox);
        var before = await Store.GetChangesAsync(inbox.Id, ModSeq.Zero, 100, None);
        var (blob, size) = await WriteBlobAsync("never committed");
        ItemId id;
        await using (var tx = await Store.BeginAsync(account, None))
            id = (await tx.AddItemAsync(inbox.Id, new NewItem(blob, size, Time.GetUtcNow()), None)).Id;

        Assert.That(await Store.GetItemAsync(id, None), Is.Null);
        Assert.That((await Store.GetChangesAsync(inbox.Id, ModSeq.Zero, 100, None)).Changes, Is.Empty);
        Assert.That(before.Changes, Is.Empty);
        Assert.That((await Store.GetHierarchyChangesAsync(account, ModSeq.Zero, 100, None)).Changes, Has.Count.EqualTo(9));
        Assert.That(await Store.IsBlobReferencedAsync(blob, None), Is.False);
        Assert.That((await Store.GetCollectionAsync(inbox.Id, None))!.NextUid.Value, Is.EqualTo(1u));
    }

    [Test]
    public async Task GetChanges_PagesWithLimit_HasMoreAndNextModSeqResumeWithoutGapsOrRepeats()
    {
        var account = await CreateUserAsync("pages@example.com");
        var inbox = await CollectionAsync(account, CollectionRole.Inbox);
        var added = new List<Item>();
        for (var i = 0; i < 7; i++)
            added.Add(await AddMessageAsync(account, inbox.Id, $"message {i}"));

        var seen = new List<ItemId>();
        var since = ModSeq.Zero;
        var pages = 0;
        while (true)
        {
            var page = await Store.GetChangesAsync(inbox.Id, since, 3, None);
            pages++;
            Assert.That(page.Changes, Has.Count.LessThanOrEqualTo(3));
            seen.AddRange(page.Changes.Select(c => c.ItemId));
            Assert.That(page.NextModSeq, page.Changes.Count > 0 ? Is.EqualTo(page.Changes[^1].ModSeq) : Is.EqualTo(since));
            since = page.NextModSeq;
            if (!page.HasMore)
                break;
        }
        Assert.That(seen, Is.EqualTo(added.Select(i => i.Id)));
        Assert.That(pages, Is.EqualTo(3));
        var empty = await Store.GetChangesAsync(inbox.Id, since, 3, None);
        Assert.That((empty.Changes.Count, empty.HasMore, empty.NextModSeq, empty.IsTruncated), Is.EqualTo((0, false, since, false)));
    }

    [Test]
    public async Task GetChanges_FoldsCreateUpdateToCreated_CreateDeleteToNothing_UpdateDeleteToDeleted()
    {
        var account = await CreateUserAsync("fold@example.com");
        var inbox = await CollectionAsync(account, CollectionRole.Inbox);
        var kept = await AddMessageAsync(account, inbox.Id, "kept");
        var since = kept.ModSeq;
        var (blob, size) = await WriteBlobAsync("body");
        Item created, gone;
        await using (var tx = await Store.BeginAsync(account, None))
        {
            created = await tx.AddItemAsync(inbox.Id, new NewItem(blob, size, Time.GetUtcNow(), Mail: new MailIndex(MailFlags.None, [])), None);
            created = await tx.UpdateItemAsync(created.Id, new ItemUpdate(Mail: new MailIndex(MailFlags.Seen, ["$Work"])), None);
            gone = await tx.AddItemAsync(inbox.Id, new NewItem(blob, size, Time.GetUtcNow()), None);
            await tx.DeleteItemAsync(gone.Id, None);
            await tx.UpdateItemAsync(kept.Id, new ItemUpdate(Mail: new MailIndex(MailFlags.Flagged, [])), None);
            await tx.DeleteItemAsync(kept.Id, None);
            await tx.CommitAsync(None);
        }

        var changes = (await Store.GetChangesAsync(inbox.Id, since, 100, None)).Changes;
        Assert.That(changes.Select(c => (c.Kind, c.ItemId)), Is.EqualTo(new[] { (ItemChangeKind.Created, created.Id), (ItemChangeKind.Deleted, kept.Id) }));
        Assert.That(changes[0].Item!.Mail!.Flags, Is.EqualTo(MailFlags.Seen));
        Assert.That(changes[0].Item!.Mail!.Keywords, Is.EqualTo(new[] { "$Work" }));
        Assert.That((changes[1].Item, changes[1].ImapUid, changes[1].ResourceName), Is.EqualTo(((Item?)null, kept.ImapUid, kept.ResourceName)));

        var fromStart = (await Store.GetChangesAsync(inbox.Id, ModSeq.Zero, 100, None)).Changes;
        Assert.That(fromStart.Select(c => (c.Kind, c.ItemId)), Is.EqualTo(new[] { (ItemChangeKind.Created, created.Id) }));
    }

    [Test]
    public async Task PrunedTombstones_MakeAsksFromBeforeThemTruncated_LaterAsksNot()
    {
        var account = await CreateUserAsync("prune@example.com");
        var inbox = await CollectionAsync(account, CollectionRole.Inbox);
        var old = await AddMessageAsync(account, inbox.Id, "old");
        await using (var tx = await Store.BeginAsync(account, None))
        {
            await tx.DeleteItemAsync(old.Id, None);
            await tx.CommitAsync(None);
        }
        var afterDelete = (await Store.GetCollectionAsync(inbox.Id, None))!.HighestModSeq;
        Time.Advance(TimeSpan.FromDays(100));
        var recent = await AddMessageAsync(account, inbox.Id, "recent");

        var pruned = await Store.PruneChangesAsync(Time.GetUtcNow() - TimeSpan.FromDays(90), None);
        Assert.That(pruned, Is.EqualTo(11)); // 9 provisioning hierarchy rows, the create and the tombstone

        var fromOld = await Store.GetChangesAsync(inbox.Id, old.ModSeq, 100, None);
        Assert.That(fromOld.IsTruncated, Is.True);
        var fromPruneEdge = await Store.GetChangesAsync(inbox.Id, afterDelete, 100, None);
        Assert.That(fromPruneEdge.IsTruncated, Is.False);
        Assert.That(fromPruneEdge.Changes.Select(c => c.ItemId), Is.EqualTo(new[] { recent.Id }));
        Assert.That((await Store.GetHierarchyChangesAsync(account, ModSeq.Zero, 100, None)).IsTruncated, Is.True);
        Assert.That(await Store.PruneChangesAsync(Time.GetUtcNow() - TimeSpan.FromDays(90), None), Is.Zero);
    }

    [Test]
    public async Task HierarchyChanges_CreateRenameDelete_DeleteIsRecursiveWithTombstonesForItems()
    {
        var account = await CreateUserAsync("tree@example.com");
        var since = (await Dir.GetAccountAsync(account, None))!.ModSeq;
        Collection parent, child;
        await using (var tx = await Store.BeginAsync(account, None))
        {
            parent = await tx.CreateCollectionAsync(new NewCollection("Projects", CollectionKind.Mailbox), None);
            child = await tx.CreateCollectionAsync(new NewCollection("Alpha", CollectionKind.Mailbox, ParentId: parent.Id), None);
            Assert.ThrowsAsync<StoreConflictException>(() => tx.CreateCollectionAsync(new NewCollection("Projects", CollectionKind.Mailbox), None));
        }
        Assert.That(await Store.GetCollectionAsync(parent.Id, None), Is.Null, "a conflict rolls the whole transaction back");

        await using (var tx = await Store.BeginAsync(account, None))
        {
            parent = await tx.CreateCollectionAsync(new NewCollection("Projects", CollectionKind.Mailbox), None);
            child = await tx.CreateCollectionAsync(new NewCollection("Alpha", CollectionKind.Mailbox, ParentId: parent.Id), None);
            await tx.CommitAsync(None);
        }
        var created = await Store.GetHierarchyChangesAsync(account, since, 100, None);
        Assert.That(created.Changes.Select(c => (c.Kind, c.Collection)),
            Is.EqualTo(new[] { (CollectionChangeKind.Created, (Collection?)parent), (CollectionChangeKind.Created, child) }));

        await using (var tx = await Store.BeginAsync(account, None))
        {
            var renamed = await tx.UpdateCollectionAsync(child.Id, "Beta", null, None);
            Assert.That((renamed.Name, renamed.ParentId, renamed.UidValidity), Is.EqualTo(("Beta", (CollectionId?)null, child.UidValidity)));
            Assert.ThrowsAsync<StoreConflictException>(() => tx.UpdateCollectionAsync(parent.Id, "Loop", parent.Id, None));
        }
        await using (var tx = await Store.BeginAsync(account, None))
        {
            await tx.UpdateCollectionAsync(child.Id, "Beta", parent.Id, None);
            await tx.CommitAsync(None);
        }
        var renamedChanges = await Store.GetHierarchyChangesAsync(account, created.NextModSeq, 100, None);
        Assert.That(renamedChanges.Changes.Select(c => (c.Kind, c.Collection!.Name)), Is.EqualTo(new[] { (CollectionChangeKind.Updated, "Beta") }));

        var item = await AddMessageAsync(account, child.Id, "in the child");
        await using (var tx = await Store.BeginAsync(account, None))
        {
            await tx.DeleteCollectionAsync(parent.Id, None);
            await tx.CommitAsync(None);
        }
        var deleted = await Store.GetHierarchyChangesAsync(account, renamedChanges.NextModSeq, 100, None);
        Assert.That(deleted.Changes.Select(c => (c.Kind, c.CollectionId, c.Collection)),
            Is.EqualTo(new[] { (CollectionChangeKind.Deleted, child.Id, (Collection?)null), (CollectionChangeKind.Deleted, parent.Id, null) }));
        Assert.That(await Store.GetItemAsync(item.Id, None), Is.Null);
        Assert.That((await Dir.GetAccountAsync(account, None))!.UsedBytes, Is.Zero);
        Assert.ThrowsAsync<StoreNotFoundException>(() => Store.GetChangesAsync(child.Id, ModSeq.Zero, 10, None));

        await using (var tx = await Store.BeginAsync(account, None))
        {
            var again = await tx.CreateCollectionAsync(new NewCollection("Projects", CollectionKind.Mailbox), None);
            Assert.That(again.UidValidity.Value, Is.GreaterThan(child.UidValidity.Value), "a re-created collection has a new UIDVALIDITY");
            await tx.CommitAsync(None);
        }
    }
}
