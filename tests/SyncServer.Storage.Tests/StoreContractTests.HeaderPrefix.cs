using System.Text;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Storage.Tests;

public abstract partial class StoreContractTests
{
    [Test]
    public async Task HeaderPrefix_RoundTrips_CountsInSizeAndQuota_ETagCoversIt_ContentIsPrefixThenBlob()
    {
        var account = await CreateUserAsync("prefix@example.com");
        var inbox = await CollectionAsync(account, CollectionRole.Inbox);
        var (blob, blobSize) = await WriteBlobAsync("Subject: hi\r\n\r\nbody\r\n");
        var alice = Encoding.ASCII.GetBytes("Delivered-To: alice@example.com\r\n");
        var bob = Encoding.ASCII.GetBytes("Delivered-To: bob@example.com\r\n");
        Item plain, forAlice, forBob;
        await using (var tx = await Store.BeginAsync(account, None))
        {
            plain = await tx.AddItemAsync(inbox.Id, new NewItem(blob, blobSize, Time.GetUtcNow()), None);
            forAlice = await tx.AddItemAsync(inbox.Id, new NewItem(blob, blobSize, Time.GetUtcNow(), HeaderPrefix: alice), None);
            forBob = await tx.AddItemAsync(inbox.Id, new NewItem(blob, blobSize, Time.GetUtcNow(), HeaderPrefix: bob), None);
            await tx.CommitAsync(None);
        }

        var read = (await Store.GetItemAsync(forAlice.Id, None))!;
        Assert.That((read.HeaderPrefix.ToArray(), read.Size, read.ETag), Is.EqualTo((alice, alice.Length + blobSize, forAlice.ETag)));
        Assert.That((await Store.GetItemAsync(plain.Id, None))!.HeaderPrefix.IsEmpty, Is.True);
        Assert.That(new[] { plain.ETag, forAlice.ETag, forBob.ETag }, Is.Unique, "same blob, different prefixes, different ETags");
        Assert.That((await Dir.GetAccountAsync(account, None))!.UsedBytes, Is.EqualTo(3 * blobSize + alice.Length + bob.Length));

        await using (var content = await ItemContent.OpenAsync(read, Opened.Blobs, None))
        {
            Assert.That(content.Length, Is.EqualTo(read.Size));
            Assert.That(await new StreamReader(content).ReadToEndAsync(), Is.EqualTo("Delivered-To: alice@example.com\r\nSubject: hi\r\n\r\nbody\r\n"));
            content.Position = alice.Length - 2;
            Assert.That(await new StreamReader(content).ReadToEndAsync(), Is.EqualTo("\r\nSubject: hi\r\n\r\nbody\r\n"), "a seek into the prefix");
        }
    }

    [Test]
    public async Task HeaderPrefix_KeptByFlagUpdates_DroppedByANewBody()
    {
        var account = await CreateUserAsync("prefix-update@example.com");
        var inbox = await CollectionAsync(account, CollectionRole.Inbox);
        var (blob, blobSize) = await WriteBlobAsync("body");
        var (newBlob, newSize) = await WriteBlobAsync("new body");
        var prefix = Encoding.ASCII.GetBytes("Return-Path: <>\r\n");
        await using var tx = await Store.BeginAsync(account, None);
        var item = await tx.AddItemAsync(inbox.Id, new NewItem(blob, blobSize, Time.GetUtcNow(), Mail: new MailIndex(MailFlags.None, []), HeaderPrefix: prefix), None);

        var flagged = await tx.UpdateItemAsync(item.Id, new ItemUpdate(Mail: new MailIndex(MailFlags.Seen, [])), None);
        Assert.That((flagged.HeaderPrefix.ToArray(), flagged.Size, flagged.ETag), Is.EqualTo((prefix, item.Size, item.ETag)));

        var replaced = await tx.UpdateItemAsync(item.Id, new ItemUpdate(newBlob, newSize), None);
        Assert.That((replaced.HeaderPrefix.IsEmpty, replaced.Size), Is.EqualTo((true, newSize)));
        await tx.CommitAsync(None);
        Assert.That((await Dir.GetAccountAsync(account, None))!.UsedBytes, Is.EqualTo(newSize));
    }
}
