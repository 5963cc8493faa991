using System.Text;
using SyncServer.Core.Changes;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Storage.Tests;

public abstract partial class StoreContractTests
{
    [Test]
    public async Task ImapUids_StrictlyIncrease_NeverReusedAcrossDeletesOrCloseAndReopen()
    {
        var account = await CreateUserAsync("uids@example.com");
        var inbox = await CollectionAsync(account, CollectionRole.Inbox);
        var first = await AddMessageAsync(account, inbox.Id, "1");
        var second = await AddMessageAsync(account, inbox.Id, "2");
        await using (var tx = await Store.BeginAsync(account, None))
        {
            await tx.DeleteItemAsync(second.Id, None);
            await tx.CommitAsync(None);
        }
        var third = await AddMessageAsync(account, inbox.Id, "3");
        await ReopenAsync();
        var fourth = await AddMessageAsync(account, inbox.Id, "4");

        Assert.That(new[] { first, second, third, fourth }.Select(i => i.ImapUid.Value), Is.EqualTo(new uint[] { 1, 2, 3, 4 }));
        var listed = await Store.ListItemsAsync(inbox.Id, new ImapUid(0), 10, None);
        Assert.That(listed.Select(i => i.ImapUid.Value), Is.EqualTo(new uint[] { 1, 3, 4 }));
        Assert.That((await Store.ListItemsAsync(inbox.Id, new ImapUid(1), 1, None)).Single().Id, Is.EqualTo(third.Id));
        Assert.That((await Store.GetCollectionAsync(inbox.Id, None))!.UidValidity, Is.EqualTo(inbox.UidValidity));
    }

    [Test]
    public async Task MoveItem_KeepsItemId_NewUidInTarget_TombstoneInSourceCreatedInTarget()
    {
        var account = await CreateUserAsync("move@example.com");
        var inbox = await CollectionAsync(account, CollectionRole.Inbox);
        var archive = await CollectionAsync(account, CollectionRole.Archive);
        await AddMessageAsync(account, archive.Id, "already there");
        var item = await AddMessageAsync(account, inbox.Id, "moving");
        Item moved;
        await using (var tx = await Store.BeginAsync(account, None))
        {
            moved = await tx.MoveItemAsync(item.Id, archive.Id, None);
            await tx.CommitAsync(None);
        }

        Assert.That((moved.Id, moved.CollectionId, moved.ImapUid.Value, moved.ETag), Is.EqualTo((item.Id, archive.Id, 2u, item.ETag)));
        var source = (await Store.GetChangesAsync(inbox.Id, item.ModSeq, 10, None)).Changes.Single();
        Assert.That((source.Kind, source.ItemId, source.ImapUid), Is.EqualTo((ItemChangeKind.Deleted, item.Id, item.ImapUid)));
        var target = (await Store.GetChangesAsync(archive.Id, item.ModSeq, 10, None)).Changes.Single();
        Assert.That((target.Kind, target.ItemId, target.ImapUid, Json(target.Item)), Is.EqualTo((ItemChangeKind.Created, item.Id, moved.ImapUid, Json(moved))));
        Assert.That(target.ModSeq, Is.GreaterThan(source.ModSeq));
    }

    [Test]
    public async Task ReplaceMessage_KeepsItemIdAndProperties_NewUidAndContent_TombstoneForTheOldUid()
    {
        var account = await CreateUserAsync("replace@example.com");
        var drafts = await CollectionAsync(account, CollectionRole.Drafts);
        var item = await AddMessageAsync(account, drafts.Id, "first version");
        var (blob, size) = await WriteBlobAsync("Subject: second version\r\n\r\nlonger body\r\n");
        var when = DateTimeOffset.FromUnixTimeMilliseconds(1_900_000_000_000);
        Item replaced;
        await using (var tx = await Store.BeginAsync(account, None))
        {
            await tx.SetItemPropertyAsync(item.Id, "urn:x", "kept", "<kept xmlns=\"urn:x\"/>", None);
            replaced = await tx.ReplaceMessageAsync(item.Id, blob, size, new MailIndex(MailFlags.Draft, ["Work"], "second version"), when, None);
            await tx.CommitAsync(None);
        }

        Assert.That((replaced.Id, replaced.CollectionId, replaced.ImapUid.Value, replaced.BlobId, replaced.Size, replaced.InternalDate),
            Is.EqualTo((item.Id, drafts.Id, item.ImapUid.Value + 1, blob, size, when)));
        Assert.That((replaced.Mail!.Subject, replaced.Mail.Keywords, replaced.CreatedModSeq), Is.EqualTo(("second version", new[] { "Work" }, replaced.ModSeq)));
        Assert.That(replaced.ETag, Is.Not.EqualTo(item.ETag));
        var changes = (await Store.GetChangesAsync(drafts.Id, item.ModSeq, 10, None)).Changes;
        Assert.That(changes.Select(c => (c.Kind, c.ItemId, c.ImapUid)),
            Is.EqualTo(new[] { (ItemChangeKind.Deleted, item.Id, item.ImapUid), (ItemChangeKind.Created, item.Id, replaced.ImapUid) }));
        Assert.That((await Store.ListItemsAsync(drafts.Id, new ImapUid(0), 10, None)).Select(i => i.ImapUid), Is.EqualTo(new[] { replaced.ImapUid }));
        Assert.That((await Store.GetItemPropertiesAsync(item.Id, None)).Single().Name, Is.EqualTo("kept"));
    }

    [Test]
    public async Task Items_SideDataRoundTrips_ETagFollowsContent_ResourceNamesPerKind_UsedBytesTracked()
    {
        var account = await CreateUserAsync("items@example.com");
        var calendar = await CollectionAsync(account, CollectionRole.DefaultCalendar);
        var contacts = await CollectionAsync(account, CollectionRole.DefaultAddressBook);
        var inbox = await CollectionAsync(account, CollectionRole.Inbox);
        var (ics, icsSize) = await WriteBlobAsync("BEGIN:VCALENDAR");
        var (vcf, vcfSize) = await WriteBlobAsync("BEGIN:VCARD");
        var start = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
        var mail = new MailIndex(MailFlags.Seen | MailFlags.Draft, ["$Label1", "Work"], "Hi", "a@x", "b@y", "<id@x>", start, "(opaque)");
        Item evt, card, message;
        await using (var tx = await Store.BeginAsync(account, None))
        {
            evt = await tx.AddItemAsync(calendar.Id, new NewItem(ics, icsSize, start, Calendar: new CalendarIndex("uid-1", "VEVENT", start, null, true)), None);
            card = await tx.AddItemAsync(contacts.Id, new NewItem(vcf, vcfSize, start, "bob.vcf", Contact: new ContactIndex("c-1", "Bob", ["b@y", "bob@z"])), None);
            message = await tx.AddItemAsync(inbox.Id, new NewItem(ics, icsSize, start, Mail: mail), None);
            Assert.ThrowsAsync<StoreConflictException>(() => tx.AddItemAsync(calendar.Id, new NewItem(ics, icsSize, start, Calendar: new CalendarIndex("uid-1", "VEVENT", start, null, false)), None));
        }
        Assert.That(await Store.GetItemAsync(evt.Id, None), Is.Null, "the conflict rolled everything back");

        await using (var tx = await Store.BeginAsync(account, None))
        {
            evt = await tx.AddItemAsync(calendar.Id, new NewItem(ics, icsSize, start, Calendar: new CalendarIndex("uid-1", "VEVENT", start, null, true)), None);
            card = await tx.AddItemAsync(contacts.Id, new NewItem(vcf, vcfSize, start, "bob.vcf", Contact: new ContactIndex("c-1", "Bob", ["b@y", "bob@z"])), None);
            message = await tx.AddItemAsync(inbox.Id, new NewItem(ics, icsSize, start, Mail: mail), None);
            await tx.CommitAsync(None);
        }
        Assert.That(Json(await Store.GetItemAsync(evt.Id, None)), Is.EqualTo(Json(evt)));
        Assert.That(evt.Calendar, Is.EqualTo(new CalendarIndex("uid-1", "VEVENT", start, null, true)));
        Assert.That(evt.ResourceName, Does.EndWith(".ics"));
        Assert.That(message.ResourceName, Does.EndWith(".eml"));
        Assert.That((card.ResourceName, card.Contact!.FormattedName, card.Contact.Emails), Is.EqualTo(("bob.vcf", "Bob", new[] { "b@y", "bob@z" })));
        Assert.That(Json(await Store.GetItemByResourceNameAsync(contacts.Id, "bob.vcf", None)), Is.EqualTo(Json(card)));
        var read = (await Store.GetItemAsync(message.Id, None))!;
        Assert.That((read.Mail! with { Keywords = [] }, read.Mail.Keywords), Is.EqualTo((mail with { Keywords = [] }, mail.Keywords)));
        Assert.That(read.InternalDate, Is.EqualTo(start));
        Assert.That(evt.ETag, Does.StartWith("\"").And.EndWith("\"").And.EqualTo(message.ETag), "same bytes, same ETag");

        var (changed, changedSize) = await WriteBlobAsync("BEGIN:VCALENDAR changed");
        await using (var tx = await Store.BeginAsync(account, None))
        {
            var flagged = await tx.UpdateItemAsync(message.Id, new ItemUpdate(Mail: mail with { Flags = MailFlags.Flagged }), None);
            Assert.That((flagged.ETag, flagged.Mail!.Flags, flagged.ModSeq > message.ModSeq), Is.EqualTo((message.ETag, MailFlags.Flagged, true)));
            var updated = await tx.UpdateItemAsync(evt.Id, new ItemUpdate(changed, changedSize), None);
            Assert.That((updated.ETag != evt.ETag, updated.Calendar, updated.Size), Is.EqualTo((true, evt.Calendar, changedSize)));
            await tx.CommitAsync(None);
        }
        Assert.That((await Dir.GetAccountAsync(account, None))!.UsedBytes, Is.EqualTo(changedSize + vcfSize + icsSize));
    }

    [Test]
    public async Task FindItemByUid_FindsTheCalendarObjectOrContactInItsCollectionOnly_FollowsMoveAndDelete()
    {
        var account = await CreateUserAsync("byuid@example.com");
        var calendar = await CollectionAsync(account, CollectionRole.DefaultCalendar);
        var contacts = await CollectionAsync(account, CollectionRole.DefaultAddressBook);
        var (blob, size) = await WriteBlobAsync("BEGIN:VCALENDAR");
        var start = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
        Collection work;
        Item evt, card;
        await using (var tx = await Store.BeginAsync(account, None))
        {
            work = await tx.CreateCollectionAsync(new NewCollection("work", CollectionKind.Calendar), None);
            evt = await tx.AddItemAsync(calendar.Id, new NewItem(blob, size, start, "e.ics", Calendar: new CalendarIndex("shared-uid", "VEVENT", start, null, false)), None);
            await tx.AddItemAsync(calendar.Id, new NewItem(blob, size, start, "other.ics", Calendar: new CalendarIndex("other", "VTODO", null, null, false)), None);
            card = await tx.AddItemAsync(contacts.Id, new NewItem(blob, size, start, "c.vcf", Contact: new ContactIndex("shared-uid", "Bob", [])), None);
            await tx.CommitAsync(None);
        }

        Assert.That(Json(await Store.FindItemByUidAsync(calendar.Id, "shared-uid", None)), Is.EqualTo(Json(evt)));
        Assert.That(Json(await Store.FindItemByUidAsync(contacts.Id, "shared-uid", None)), Is.EqualTo(Json(card)));
        Assert.That(await Store.FindItemByUidAsync(work.Id, "shared-uid", None), Is.Null, "a UID is looked up in one collection");
        Assert.That(await Store.FindItemByUidAsync(calendar.Id, "SHARED-UID", None), Is.Null, "UIDs compare exactly");
        Assert.That(await Store.FindItemByUidAsync(calendar.Id, "absent", None), Is.Null);

        await using (var tx = await Store.BeginAsync(account, None))
        {
            await tx.MoveItemAsync(evt.Id, work.Id, None);
            await tx.DeleteItemAsync(card.Id, None);
            await tx.CommitAsync(None);
        }
        Assert.That(await Store.FindItemByUidAsync(calendar.Id, "shared-uid", None), Is.Null);
        Assert.That((await Store.FindItemByUidAsync(work.Id, "shared-uid", None))!.Id, Is.EqualTo(evt.Id));
        Assert.That(await Store.FindItemByUidAsync(contacts.Id, "shared-uid", None), Is.Null);
    }

    [Test]
    public async Task OperationsOnAnotherAccountsIds_AreNotFound()
    {
        var alice = await CreateUserAsync("alice@example.com");
        var bob = await CreateUserAsync("bob@example.com");
        var bobsInbox = await CollectionAsync(bob, CollectionRole.Inbox);
        var bobsItem = await AddMessageAsync(bob, bobsInbox.Id, "bob's");
        var (blob, size) = await WriteBlobAsync("x");

        // One transaction at a time: each holds alice's account row until disposed.
        await using (var tx = await Store.BeginAsync(alice, None))
            Assert.ThrowsAsync<StoreNotFoundException>(() => tx.AddItemAsync(bobsInbox.Id, new NewItem(blob, size, Time.GetUtcNow()), None));
        await using (var tx = await Store.BeginAsync(alice, None))
            Assert.ThrowsAsync<StoreNotFoundException>(() => tx.DeleteItemAsync(bobsItem.Id, None));
        await using (var tx = await Store.BeginAsync(alice, None))
            Assert.ThrowsAsync<StoreNotFoundException>(() => tx.MoveItemAsync(bobsItem.Id, bobsInbox.Id, None));
        await using (var tx = await Store.BeginAsync(alice, None))
            Assert.ThrowsAsync<StoreNotFoundException>(() => tx.DeleteCollectionAsync(bobsInbox.Id, None));
        Assert.ThrowsAsync<StoreNotFoundException>(() => Store.BeginAsync(new AccountId(999_999), None));
        Assert.That(await Store.GetItemAsync(bobsItem.Id, None), Is.Not.Null);
    }

    [Test]
    public async Task Notifier_WakesSubscriberAfterCommit_NotAfterRollback_NotOtherAccounts()
    {
        var account = await CreateUserAsync("push@example.com");
        var other = await CreateUserAsync("other@example.com");
        var inbox = await CollectionAsync(account, CollectionRole.Inbox);
        using var subscription = Opened.Notifier.Subscribe(account);
        using var otherSubscription = Opened.Notifier.Subscribe(other);
        var (blob, size) = await WriteBlobAsync("push");

        await using (var tx = await Store.BeginAsync(account, None))
        {
            await tx.AddItemAsync(inbox.Id, new NewItem(blob, size, Time.GetUtcNow()), None);
            Assert.That(subscription.Changes.TryRead(out _), Is.False, "nothing before commit");
        }
        Assert.That(subscription.Changes.TryRead(out _), Is.False, "nothing after rollback");

        var item = await AddMessageAsync(account, inbox.Id, "committed");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.That(await subscription.Changes.ReadAsync(timeout.Token), Is.EqualTo(new ChangeNotification(account, inbox.Id, item.ModSeq)));
        Assert.That(otherSubscription.Changes.TryRead(out _), Is.False);

        await using (var tx = await Store.BeginAsync(account, None))
        {
            var folder = await tx.CreateCollectionAsync(new NewCollection("New", CollectionKind.Mailbox), None);
            await tx.CommitAsync(None);
            Assert.That(await subscription.Changes.ReadAsync(timeout.Token), Is.EqualTo(new ChangeNotification(account, folder.Id, folder.CreatedModSeq)));
            Assert.That(await subscription.Changes.ReadAsync(timeout.Token), Is.EqualTo(new ChangeNotification(account, null, folder.CreatedModSeq)));
        }
    }

    [Test]
    public async Task BlobStore_StoresSameBytesOnce_SweepsOnlyUnreferencedOldBlobs_MissingBlobIsNotFound()
    {
        var account = await CreateUserAsync("blobs@example.com");
        var inbox = await CollectionAsync(account, CollectionRole.Inbox);
        var (a1, size) = await WriteBlobAsync("same bytes");
        var (a2, _) = await WriteBlobAsync("same bytes");
        Assert.That((a1, size), Is.EqualTo((a2, 10L)));
        Assert.That(a1.Sha256Hex, Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("same bytes")))));
        await using (var stream = Opened.Blobs.OpenRead(a1))
            Assert.That(await new StreamReader(stream).ReadToEndAsync(), Is.EqualTo("same bytes"));

        var referenced = (await AddMessageAsync(account, inbox.Id, "kept body")).BlobId;
        var (orphan, _) = await WriteBlobAsync("orphan body");
        Assert.That(await Opened.Blobs.SweepAsync(Store.IsBlobReferencedAsync, TimeSpan.FromHours(1), None), Is.Zero, "young blobs are kept");

        Time.Advance(TimeSpan.FromHours(2));
        Assert.That(await Opened.Blobs.SweepAsync(Store.IsBlobReferencedAsync, TimeSpan.FromHours(1), None), Is.EqualTo(2));
        Assert.That((Opened.Blobs.Exists(referenced), Opened.Blobs.Exists(orphan), Opened.Blobs.Exists(a1)), Is.EqualTo((true, false, false)));
        Assert.Throws<StoreNotFoundException>(() => Opened.Blobs.OpenRead(orphan));
    }

    [Test]
    public async Task CheckHealth_Succeeds()
        => await Store.CheckHealthAsync(None);

    [Test]
    public async Task ItemDavProperties_SetReplaceRemove_FollowAMove_GoWithTheItem_InPlainFilesCollections()
    {
        var account = await CreateUserAsync("itemprops@example.com");
        var (blob, size) = await WriteBlobAsync("any bytes");
        Collection files, sub;
        Item item;
        await using (var tx = await Store.BeginAsync(account, None))
        {
            files = await tx.CreateCollectionAsync(new NewCollection("/files", CollectionKind.Files), None);
            sub = await tx.CreateCollectionAsync(new NewCollection("sub", CollectionKind.Files, ParentId: files.Id), None);
            item = await tx.AddItemAsync(files.Id, new NewItem(blob, size, DateTimeOffset.UnixEpoch, "a.bin"), None);
            await tx.SetItemPropertyAsync(item.Id, "http://example.com/ns", "p", "<p xmlns=\"http://example.com/ns\">1</p>", None);
            await tx.SetItemPropertyAsync(item.Id, "", "bare", "<bare>x</bare>", None);
            await tx.SetItemPropertyAsync(item.Id, "http://example.com/ns", "p", "<p xmlns=\"http://example.com/ns\">2</p>", None);
            await tx.CommitAsync(None);
        }
        Assert.That((await Store.GetItemPropertiesAsync(item.Id, None)).Select(p => (p.Namespace, p.Name, p.Xml)), Is.EqualTo(new[]
        {
            ("", "bare", "<bare>x</bare>"), ("http://example.com/ns", "p", "<p xmlns=\"http://example.com/ns\">2</p>"),
        }));
        await using (var tx = await Store.BeginAsync(account, None))
        {
            await tx.SetItemPropertyAsync(item.Id, "", "bare", null, None);
            await tx.MoveItemAsync(item.Id, sub.Id, None);
            await tx.CommitAsync(None);
        }
        Assert.That((await Store.GetItemPropertiesAsync(item.Id, None)).Select(p => p.Name), Is.EqualTo(new[] { "p" }));
        Assert.That((await Store.GetCollectionAsync(sub.Id, None))!.Kind, Is.EqualTo(CollectionKind.Files));
        await using (var tx = await Store.BeginAsync(account, None))
        {
            await tx.DeleteCollectionAsync(files.Id, None);
            await tx.CommitAsync(None);
        }
        Assert.That(await Store.GetItemPropertiesAsync(item.Id, None), Is.Empty);
    }
}
