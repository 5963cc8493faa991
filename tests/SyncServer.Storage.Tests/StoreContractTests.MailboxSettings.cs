using System.Text;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Storage.Tests;

/// <summary>Subscriptions and METADATA entries (schema 0005) on every engine.</summary>
public abstract partial class StoreContractTests
{
    private IMailboxSettingsStore Settings => Opened.MailboxSettings;

    [Test]
    public async Task Subscriptions_ArePerAccount_IdempotentBothWays_AndSurviveReopen()
    {
        var alice = await CreateUserAsync("alice@example.com");
        var bob = await CreateUserAsync("bob@example.com");
        Assert.That(await Settings.SetSubscribedAsync(alice, "Work/Ünïcode", true, None), Is.True);
        Assert.That(await Settings.SetSubscribedAsync(alice, "Work/Ünïcode", true, None), Is.False);
        Assert.That(await Settings.SetSubscribedAsync(alice, "Does/Not/Exist", true, None), Is.True);
        Assert.That(await Settings.SetSubscribedAsync(alice, "INBOX", true, None), Is.True);
        await ReopenAsync();

        Assert.That(await Settings.ListSubscriptionsAsync(alice, None), Is.EqualTo(new[] { "Does/Not/Exist", "INBOX", "Work/Ünïcode" }));
        Assert.That(await Settings.ListSubscriptionsAsync(bob, None), Is.Empty);
        Assert.That(await Settings.SetSubscribedAsync(alice, "INBOX", false, None), Is.True);
        Assert.That(await Settings.SetSubscribedAsync(alice, "INBOX", false, None), Is.False);
        Assert.That(await Settings.ListSubscriptionsAsync(alice, None), Is.EqualTo(new[] { "Does/Not/Exist", "Work/Ünïcode" }));

        await Dir.RemoveAccountAsync(alice, None);
        Assert.That(await Settings.ListSubscriptionsAsync(alice, None), Is.Empty);
    }

    [Test]
    public async Task Metadata_ServerAndCollectionScopes_SetReplacesRemoves_CaseInsensitiveNames_GoneWithCollection()
    {
        var alice = await CreateUserAsync("alice@example.com");
        var bob = await CreateUserAsync("bob@example.com");
        var inbox = await CollectionAsync(alice, CollectionRole.Inbox);
        await using (var tx = await Store.BeginAsync(alice, None))
        {
            var doomed = await tx.CreateCollectionAsync(new NewCollection("Doomed", CollectionKind.Mailbox, CollectionRole.None), None);
            await tx.CommitAsync(None);
            await Settings.SetMetadataAsync(alice, doomed.Id, [Entry("/shared/comment", "bye")], None);
            await using var delete = await Store.BeginAsync(alice, None);
            await delete.DeleteCollectionAsync(doomed.Id, None);
            await delete.CommitAsync(None);
            Assert.That(await Settings.ListMetadataAsync(alice, doomed.Id, None), Is.Empty);
        }

        await Settings.SetMetadataAsync(alice, null, [Entry("/shared/comment", "server"), Entry("/private/Vendor/X", "a\0b")], None);
        await Settings.SetMetadataAsync(alice, inbox.Id, [Entry("/shared/comment", "inbox")], None);
        await Settings.SetMetadataAsync(bob, inbox.Id, [Entry("/private/comment", "bob's own")], None);
        await Settings.SetMetadataAsync(alice, null, [Entry("/shared/comment", "server, again")], None);
        await ReopenAsync();

        Assert.That(Texts(await Settings.ListMetadataAsync(alice, null, None)),
            Is.EqualTo(new[] { ("/private/vendor/x", "a\0b"), ("/shared/comment", "server, again") }));
        Assert.That(Texts(await Settings.ListMetadataAsync(alice, inbox.Id, None)), Is.EqualTo(new[] { ("/shared/comment", "inbox") }));
        Assert.That(Texts(await Settings.ListMetadataAsync(bob, inbox.Id, None)), Is.EqualTo(new[] { ("/private/comment", "bob's own") }));
        Assert.That(await Settings.ListMetadataAsync(bob, null, None), Is.Empty);

        await Settings.SetMetadataAsync(alice, null, [new("/PRIVATE/vendor/x", null), new("/private/absent", null)], None);
        Assert.That(Texts(await Settings.ListMetadataAsync(alice, null, None)), Is.EqualTo(new[] { ("/shared/comment", "server, again") }));
    }

    private static KeyValuePair<string, byte[]?> Entry(string name, string value) => new(name, Encoding.UTF8.GetBytes(value));

    private static (string, string)[] Texts(IReadOnlyList<MetadataEntry> entries)
        => entries.Select(e => (e.Name, Encoding.UTF8.GetString(e.Value.Span))).ToArray();
}
