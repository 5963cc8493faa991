using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using SyncServer.Server.Tests.Shared;

namespace SyncServer.Server.Tests.Imap;

/// <summary>
/// MailKit's ImapClient on stored subscriptions, QUOTA, ACL with the other users' namespace, and METADATA. alice
/// owns what is shared, bob has a 1M quota and no grant, carol receives grants.
/// </summary>
[NonParallelizable]
public sealed class ImapSharingTests
{
    private const string Bob = "bob@example.org";
    private const string Carol = "carol@example.org";

    private MailServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await MailServer.StartAsync();
        await _server.AddUserAsync(Bob, quota: "1M");
        await _server.AddUserAsync(Carol);
    }

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task Subscriptions_are_kept_across_sessions_and_per_account()
    {
        using (var alice = await _server.ConnectAsync())
        {
            var kept = await CreateFolderAsync(alice, "Kept");
            await CreateFolderAsync(alice, "NotKept");
            await kept.SubscribeAsync();
        }
        using var again = await _server.ConnectAsync(implicitTls: true);
        var subscribed = await again.GetFoldersAsync(again.PersonalNamespaces[0], StatusItems.None, subscribedOnly: true);
        Assert.That(subscribed.Select(f => f.FullName), Does.Contain("Kept").And.Not.Contain("NotKept"));
        using var carol = await _server.ConnectAsync(user: Carol);
        Assert.That(await carol.GetFoldersAsync(carol.PersonalNamespaces[0], StatusItems.None, subscribedOnly: true), Is.Empty);

        await (await again.GetFolderAsync("Kept")).UnsubscribeAsync();
        Assert.That((await again.GetFoldersAsync(again.PersonalNamespaces[0], StatusItems.None, subscribedOnly: true)).Select(f => f.FullName), Does.Not.Contain("Kept"));
    }

    [Test]
    public async Task Quota_is_the_account_quota_and_APPEND_COPY_past_it_are_OVERQUOTA()
    {
        using var bob = await _server.ConnectAsync(user: Bob);
        Assert.That(bob.Capabilities.HasFlag(ImapCapabilities.Quota), Is.True);
        var folder = await CreateFolderAsync(bob, "Big");
        var quota = await bob.Inbox!.GetQuotaAsync();
        Assert.That((quota.QuotaRoot!.FullName, quota.StorageLimit), Is.EqualTo(("", 1024u)));
        var before = quota.CurrentStorageSize!.Value;

        await folder.AppendAsync(new AppendRequest(TestMessages.Simple("big", new string('x', 600_000))));
        Assert.That((await bob.Inbox.GetQuotaAsync()).CurrentStorageSize, Is.GreaterThanOrEqualTo(before + 585));
        var append = Assert.ThrowsAsync<ImapCommandException>(() => folder.AppendAsync(new AppendRequest(TestMessages.Simple("too big", new string('y', 600_000)))));
        Assert.That(append!.ResponseText, Does.Contain("Quota exceeded"));
        await folder.OpenAsync(FolderAccess.ReadWrite);
        var copy = Assert.ThrowsAsync<ImapCommandException>(() => folder.CopyToAsync(new UniqueId(1), bob.Inbox));
        Assert.That(copy!.ResponseText, Does.Contain("Quota exceeded"));
        // A move within the account takes no more room.
        Assert.That((await folder.MoveToAsync(new UniqueId(1), bob.Inbox)).HasValue, Is.True);
        Assert.ThrowsAsync<ImapCommandException>(() => bob.Inbox.SetQuotaAsync(null, 1));
    }

    [Test]
    public async Task Shared_mailbox_is_found_in_the_other_users_namespace_with_the_granted_rights_and_IDLE_wakes_on_the_owners_change()
    {
        using var alice = await _server.ConnectAsync();
        var team = await CreateFolderAsync(alice, "Team");
        await team.AppendAsync(new AppendRequest(TestMessages.Simple("first", "hello")));
        await team.SetAccessRightsAsync(Carol, new AccessRights("lrsi"));
        Assert.That((await team.GetAccessControlListAsync()).Select(a => (a.Name, a.Rights.ToString())),
            Is.EqualTo(new[] { ("alice@example.org", "lrswipkxtecda"), (Carol, "lrsi") }));

        using var carol = await _server.ConnectAsync(user: Carol);
        Assert.That(carol.OtherNamespaces.Select(n => n.Path), Is.EqualTo(new[] { "Shared" }));
        var shared = await carol.GetFoldersAsync(carol.OtherNamespaces[0]);
        Assert.That(shared.Select(f => f.FullName), Does.Contain("Shared/alice@example.org/Team").And.Not.Contain("Shared/alice@example.org/INBOX"));
        var folder = await carol.GetFolderAsync("Shared/alice@example.org/Team");
        Assert.That((await folder.GetMyAccessRightsAsync()).ToString(), Is.EqualTo("lrsi"));
        await folder.OpenAsync(FolderAccess.ReadWrite);
        Assert.That(folder.Count, Is.EqualTo(1));
        await folder.AddFlagsAsync(0, MessageFlags.Seen, silent: true);
        Assert.ThrowsAsync<ImapCommandException>(() => folder.AddFlagsAsync(0, MessageFlags.Flagged, silent: true));
        Assert.ThrowsAsync<ImapCommandException>(() => folder.ExpungeAsync());
        // carol's insert lands in alice's account: alice sees it, with carol's \Seen on the first message.
        await folder.AppendAsync(new AppendRequest(TestMessages.Simple("from carol", "hi")));
        await team.OpenAsync(FolderAccess.ReadOnly);
        Assert.That(team.Count, Is.EqualTo(2));
        Assert.That((await team.FetchAsync(0, 0, MessageSummaryItems.Flags))[0].Flags!.Value.HasFlag(MessageFlags.Seen), Is.True);

        // IDLE on the shared mailbox wakes on a change in the owner's account.
        var arrived = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        folder.CountChanged += (_, _) => arrived.TrySetResult(folder.Count);
        using var done = new CancellationTokenSource();
        var idle = carol.IdleAsync(done.Token);
        await Task.Delay(300);
        await team.AppendAsync(new AppendRequest(TestMessages.Simple("from alice", "hello again")));
        var completed = await Task.WhenAny(arrived.Task, Task.Delay(TimeSpan.FromSeconds(10)));
        await done.CancelAsync();
        await idle;
        Assert.That(completed, Is.SameAs(arrived.Task), "EXISTS during IDLE on the shared mailbox");
        Assert.That(await arrived.Task, Is.EqualTo(3));

        // Revoked: gone, as if it never existed.
        await team.RemoveAccessAsync(Carol);
        using var revoked = await _server.ConnectAsync(user: Carol);
        Assert.ThrowsAsync<FolderNotFoundException>(() => revoked.GetFolderAsync("Shared/alice@example.org/Team"));
    }

    [Test]
    public async Task Without_a_grant_nothing_of_another_user_is_seen()
    {
        using (var alice = await _server.ConnectAsync())
            await CreateFolderAsync(alice, "Private");
        using var bob = await _server.ConnectAsync(user: Bob);
        var all = await bob.GetFoldersAsync(bob.PersonalNamespaces[0]);
        Assert.That(all.Select(f => f.FullName), Has.None.StartsWith("Shared"));
        Assert.That(bob.OtherNamespaces.Count == 0 || (await bob.GetFoldersAsync(bob.OtherNamespaces[0])).Count == 0, Is.True);
        foreach (var name in new[] { "Shared/alice@example.org/INBOX", "Shared/alice@example.org/Private", "Shared/alice@example.org" })
            Assert.ThrowsAsync<FolderNotFoundException>(() => bob.GetFolderAsync(name), name);
    }

    [Test]
    public async Task Metadata_is_stored_per_holder_with_its_limits_and_shared_entries_follow_the_rights()
    {
        using var alice = await _server.ConnectAsync();
        Assert.That(alice.Capabilities.HasFlag(ImapCapabilities.Metadata), Is.True);
        await alice.SetMetadataAsync(new MetadataCollection { new Metadata(MetadataTag.PrivateComment, "server note") });
        Assert.That(await alice.GetMetadataAsync(MetadataTag.PrivateComment), Is.EqualTo("server note"));
        var notes = await CreateFolderAsync(alice, "Notes");
        await notes.SetMetadataAsync(new MetadataCollection { new Metadata(MetadataTag.SharedComment, "team notes ✓") });
        Assert.That(await notes.GetMetadataAsync(MetadataTag.SharedComment), Is.EqualTo("team notes ✓"));
        Assert.That(await (await alice.GetFolderAsync("Sent")).GetMetadataAsync(new MetadataTag("/private/specialuse")), Is.EqualTo("\\Sent"));

        var tooLarge = Assert.ThrowsAsync<ImapCommandException>(() => notes.SetMetadataAsync(
            new MetadataCollection { new Metadata(MetadataTag.PrivateComment, new string('x', 70_000) + "\r\n(a literal)") }));
        Assert.That(tooLarge!.ResponseText, Does.Contain("too large"));
        var many = new MetadataCollection();
        for (var i = 0; i < 101; i++)
            many.Add(new Metadata(new MetadataTag($"/private/vendor/test/{i}"), "a value"));
        var tooMany = Assert.ThrowsAsync<ImapCommandException>(() => notes.SetMetadataAsync(many));
        Assert.That(tooMany!.ResponseText, Does.Contain("Too many"));

        // carol ("lr") reads the owner's shared comment, keeps her own private one, and may not write the shared one.
        await notes.SetAccessRightsAsync(Carol, new AccessRights("lr"));
        using var carol = await _server.ConnectAsync(user: Carol);
        var shared = await carol.GetFolderAsync("Shared/alice@example.org/Notes");
        Assert.That(await shared.GetMetadataAsync(MetadataTag.SharedComment), Is.EqualTo("team notes ✓"));
        await shared.SetMetadataAsync(new MetadataCollection { new Metadata(MetadataTag.PrivateComment, "carol's") });
        Assert.That(await shared.GetMetadataAsync(MetadataTag.PrivateComment), Is.EqualTo("carol's"));
        Assert.That(await notes.GetMetadataAsync(MetadataTag.PrivateComment), Is.Null, "a private entry is its holder's alone");
        Assert.ThrowsAsync<ImapCommandException>(() => shared.SetMetadataAsync(new MetadataCollection { new Metadata(MetadataTag.SharedComment, "hijack") }));
        Assert.That(await carol.GetMetadataAsync(MetadataTag.PrivateComment), Is.Null);
    }

    private static async Task<IMailFolder> CreateFolderAsync(ImapClient client, string name) =>
        (await client.GetFolder(client.PersonalNamespaces[0])!.CreateAsync(name, true))!;
}
