using Microsoft.Extensions.Time.Testing;
using SyncServer.Core.Credentials;
using SyncServer.Core.Directory;
using SyncServer.Core.Model;
using SyncServer.Server.Imap;
using SyncServer.Storage;

namespace SyncServer.Server.Tests.Imap;

/// <summary>QRESYNC's VANISHED (EARLIER) set from a real SQLite store, before and after the change log is pruned.</summary>
public sealed class MailboxViewTests
{
    [Test]
    public async Task Vanished_comes_from_tombstones_and_after_pruning_is_every_absent_uid()
    {
        var data = Path.Combine(Path.GetTempPath(), "syncserver-view-" + Guid.NewGuid().ToString("N"));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        try
        {
            await using var opened = await StoreHost.OpenAsync(new StorageOptions { DataDirectory = data }, time, CancellationToken.None);
            var admin = new DirectoryAdministration(opened.Directory, new PasswordHasher(1000));
            await admin.AddDomainAsync("example.org", CancellationToken.None);
            var account = (await admin.AddUserAsync("view@example.org", "a long enough password", null, null, CancellationToken.None)).Value!;
            var inbox = (await opened.Store.ListCollectionsAsync(account.Id, CancellationToken.None)).Single(c => c.Role == CollectionRole.Inbox);
            var (blob, size) = await opened.Blobs.WriteAsync(new MemoryStream("Subject: x\r\n\r\nx"u8.ToArray()), CancellationToken.None);
            var items = new List<Item>();
            await using (var transaction = await opened.Store.BeginAsync(account.Id, CancellationToken.None))
            {
                for (var i = 0; i < 4; i++)
                    items.Add(await transaction.AddItemAsync(inbox.Id, new NewItem(blob, size, time.GetUtcNow(), Mail: new MailIndex(MailFlags.None, [])), CancellationToken.None));
                await transaction.DeleteItemAsync(items[0].Id, CancellationToken.None);
                await transaction.CommitAsync(CancellationToken.None);
            }
            var since = (await opened.Store.GetCollectionAsync(inbox.Id, CancellationToken.None))!.HighestModSeq;
            await using (var transaction = await opened.Store.BeginAsync(account.Id, CancellationToken.None))
            {
                await transaction.DeleteItemAsync(items[1].Id, CancellationToken.None);
                await transaction.CommitAsync(CancellationToken.None);
            }
            var mailbox = new Mailbox("INBOX", inbox, HasChildren: false);
            var view = await MailboxView.OpenAsync(opened.Store, mailbox, readOnly: true, CancellationToken.None);
            Assert.That((await view.VanishedSinceAsync(opened.Store, since, within: null, CancellationToken.None))?.ToString(), Is.EqualTo("2"),
                "only the message expunged after the client's modseq");

            time.Advance(TimeSpan.FromDays(400));
            Assert.That(await opened.Store.PruneChangesAsync(time.GetUtcNow(), CancellationToken.None), Is.GreaterThan(0));
            view = await MailboxView.OpenAsync(opened.Store, mailbox, readOnly: true, CancellationToken.None);
            Assert.That((await view.VanishedSinceAsync(opened.Store, since, within: null, CancellationToken.None))?.ToString(), Is.EqualTo("1:2"),
                "the log no longer says when: every UID below UIDNEXT that is gone");
            var known = Protocols.Imap.ImapSequenceSet.FromNumbers([2, 3, 4]);
            Assert.That((await view.VanishedSinceAsync(opened.Store, since, known, CancellationToken.None))?.ToString(), Is.EqualTo("2"));
        }
        finally
        {
            if (Directory.Exists(data))
                Directory.Delete(data, recursive: true);
        }
    }
}
