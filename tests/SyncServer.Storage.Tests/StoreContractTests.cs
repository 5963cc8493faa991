using System.Text;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Storage.Tests;

/// <summary>
/// The store's contract, run against every engine by a small subclass (DESIGN.md §4.7). Each test gets a fresh
/// database and data directory. Change-log and item tests are in the other StoreContractTests.*.cs files.
/// </summary>
public abstract partial class StoreContractTests
{
    protected static readonly CancellationToken None = CancellationToken.None;

    protected ManualTime Time { get; private set; } = null!;
    protected StorageOptions Options { get; private set; } = null!;
    protected OpenedStore Opened { get; private set; } = null!;
    protected IStore Store => Opened.Store;
    protected IDirectoryStore Dir => Opened.Directory;

    protected abstract Task<StorageOptions> CreateOptionsAsync();

    protected abstract Task DropAsync();

    [SetUp]
    public async Task OpenAsync()
    {
        Time = new ManualTime();
        Options = await CreateOptionsAsync();
        Opened = await StoreHost.OpenAsync(Options, Time, None);
    }

    [TearDown]
    public async Task CloseAsync()
    {
        if (Opened is not null)
            await Opened.DisposeAsync();
        await DropAsync();
    }

    protected async Task ReopenAsync()
    {
        await Opened.DisposeAsync();
        Opened = await StoreHost.OpenAsync(Options, Time, None);
    }

    protected async Task<AccountId> CreateUserAsync(string address)
        => (await Dir.CreateAccountAsync(address, "Test User", "hash", null, AccountKind.User, None)).Id;

    protected async Task<Collection> CollectionAsync(AccountId account, CollectionRole role)
        => (await Store.ListCollectionsAsync(account, None)).Single(c => c.Role == role);

    protected async Task<(BlobId Id, long Size)> WriteBlobAsync(string text)
        => await Opened.Blobs.WriteAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), None);

    protected async Task<Item> AddMessageAsync(AccountId account, CollectionId collection, string text)
    {
        var (blob, size) = await WriteBlobAsync(text);
        await using var tx = await Store.BeginAsync(account, None);
        var item = await tx.AddItemAsync(collection, new NewItem(blob, size, Time.GetUtcNow(), Mail: new MailIndex(MailFlags.None, [])), None);
        await tx.CommitAsync(None);
        return item;
    }

    /// <summary>Items hold lists (keywords, emails), which record equality compares by reference; compare their JSON.</summary>
    protected static string Json(Item? item) => System.Text.Json.JsonSerializer.Serialize(item);

    [Test]
    public async Task Directory_Domains_AddListGetRemove_DuplicateIsConflict_InUseIsConflict()
    {
        await Dir.AddDomainAsync("Example.COM", None);
        await Dir.AddDomainAsync("other.org", None);
        Assert.ThrowsAsync<StoreConflictException>(() => Dir.AddDomainAsync("example.com", None));
        Assert.That((await Dir.ListDomainsAsync(None)).Select(d => d.Name), Is.EqualTo(new[] { "example.com", "other.org" }));
        Assert.That((await Dir.GetDomainAsync("EXAMPLE.com", None))!.CreatedAt, Is.EqualTo(Time.GetUtcNow()).Within(TimeSpan.FromMilliseconds(1)));

        var account = await CreateUserAsync("a@example.com");
        Assert.ThrowsAsync<StoreConflictException>(() => Dir.RemoveDomainAsync("example.com", None));
        await Dir.AddAliasAsync("@other.org", ["a@example.com"], None);
        Assert.ThrowsAsync<StoreConflictException>(() => Dir.RemoveDomainAsync("other.org", None));

        Assert.That(await Dir.RemoveAliasAsync("@other.org", [], None), Is.True);
        Assert.That(await Dir.RemoveDomainAsync("other.org", None), Is.True);
        Assert.That(await Dir.RemoveDomainAsync("other.org", None), Is.False);
        Assert.That(await Dir.RemoveAccountAsync(account, None), Is.True);
        Assert.That(await Dir.RemoveDomainAsync("example.com", None), Is.True);
    }

    [Test]
    public async Task Directory_Accounts_CreateGetUpdateRemove_AddressIsCaseInsensitiveAndUnique()
    {
        var created = await Dir.CreateAccountAsync("Alice@Example.com", "Alice", "h1", 1000, AccountKind.User, None);
        Assert.That(created, Is.EqualTo(new Account(created.Id, "alice@example.com", "Alice", "h1", 1000, 0, true, AccountKind.User,
            created.ModSeq, created.CreatedAt)));
        Assert.ThrowsAsync<StoreConflictException>(() => Dir.CreateAccountAsync("ALICE@example.com", "Again", "h", null, AccountKind.User, None));
        await Dir.CreateAccountAsync("info@example.com", "Info", "", null, AccountKind.Shared, None);
        await Dir.CreateAccountAsync("bob@other.org", "Bob", "h", null, AccountKind.User, None);

        Assert.That((await Dir.GetAccountAsync("alice@EXAMPLE.com", None))!.Id, Is.EqualTo(created.Id));
        Assert.That((await Dir.ListAccountsAsync("example.com", None)).Select(a => a.Address), Is.EqualTo(new[] { "alice@example.com", "info@example.com" }));
        Assert.That(await Dir.ListAccountsAsync(null, None), Has.Count.EqualTo(3));

        Assert.That(await Dir.SetPasswordHashAsync(created.Id, "h2", None), Is.True);
        Assert.That(await Dir.SetEnabledAsync(created.Id, false, None), Is.True);
        Assert.That(await Dir.SetQuotaAsync(created.Id, null, None), Is.True);
        var updated = (await Dir.GetAccountAsync(created.Id, None))!;
        Assert.That((updated.PasswordHash, updated.Enabled, updated.QuotaBytes), Is.EqualTo(("h2", false, (long?)null)));

        Assert.That(await Dir.RemoveAccountAsync(created.Id, None), Is.True);
        Assert.That(await Dir.GetAccountAsync(created.Id, None), Is.Null);
        Assert.That(await Store.ListCollectionsAsync(created.Id, None), Is.Empty);
        Assert.That(await Dir.SetEnabledAsync(created.Id, true, None), Is.False);
    }

    [Test]
    public async Task Directory_Aliases_AddTargets_CatchAll_DuplicatePairIsConflict_RemoveSomeOrAll()
    {
        await Dir.AddAliasAsync("Sales@example.com", ["a@example.com", "b@example.com"], None);
        await Dir.AddAliasAsync("sales@example.com", ["c@example.com"], None);
        await Dir.AddAliasAsync("@example.com", ["catchall@example.com"], None);
        await Dir.AddAliasAsync("x@other.org", ["a@example.com"], None);
        Assert.ThrowsAsync<StoreConflictException>(() => Dir.AddAliasAsync("sales@example.com", ["A@example.com"], None));

        var sales = (await Dir.GetAliasAsync("sales@example.com", None))!;
        Assert.That((sales.Source, sales.Targets), Is.EqualTo(("sales@example.com", new[] { "a@example.com", "b@example.com", "c@example.com" })));
        Assert.That((await Dir.GetAliasAsync("@example.com", None))!.Targets, Is.EqualTo(new[] { "catchall@example.com" }));
        Assert.That((await Dir.ListAliasesAsync("example.com", None)).Select(a => a.Source), Is.EqualTo(new[] { "@example.com", "sales@example.com" }));

        Assert.That(await Dir.RemoveAliasAsync("sales@example.com", ["b@example.com"], None), Is.True);
        Assert.That((await Dir.GetAliasAsync("sales@example.com", None))!.Targets, Is.EqualTo(new[] { "a@example.com", "c@example.com" }));
        Assert.That(await Dir.RemoveAliasAsync("sales@example.com", [], None), Is.True);
        Assert.That(await Dir.GetAliasAsync("sales@example.com", None), Is.Null);
        Assert.That(await Dir.RemoveAliasAsync("sales@example.com", [], None), Is.False);
    }

    [Test]
    public async Task Directory_Lists_AddGetUpdateRemove_DuplicateIsConflict()
    {
        var list = new DistributionList("Team@example.com", PostingPolicy.Members, ["b@example.com", "a@example.com"], []);
        await Dir.AddListAsync(list, None);
        Assert.ThrowsAsync<StoreConflictException>(() => Dir.AddListAsync(list, None));
        var read = (await Dir.GetListAsync("team@example.com", None))!;
        Assert.That((read.Address, read.Policy, read.Members, read.AllowedSenders),
            Is.EqualTo(("team@example.com", PostingPolicy.Members, new[] { "a@example.com", "b@example.com" }, Array.Empty<string>())));

        Assert.That(await Dir.UpdateListAsync(list with { Policy = PostingPolicy.Senders, Members = ["c@example.com"], AllowedSenders = ["boss@example.com"] }, None), Is.True);
        read = (await Dir.ListListsAsync("example.com", None)).Single();
        Assert.That((read.Policy, read.Members, read.AllowedSenders),
            Is.EqualTo((PostingPolicy.Senders, new[] { "c@example.com" }, new[] { "boss@example.com" })));
        Assert.That(await Dir.UpdateListAsync(list with { Address = "none@example.com" }, None), Is.False);

        Assert.That(await Dir.RemoveListAsync("team@example.com", None), Is.True);
        Assert.That(await Dir.GetListAsync("team@example.com", None), Is.Null);
    }

    [Test]
    public async Task Directory_Grants_SetReplacesPerTriple_ListBothWays_Remove()
    {
        var alice = await CreateUserAsync("alice@example.com");
        var info = await CreateUserAsync("info@example.com");
        var calendar = await CollectionAsync(info, CollectionRole.DefaultCalendar);
        await Dir.SetGrantAsync(new Grant(alice, info, null, GrantRights.Read), None);
        await Dir.SetGrantAsync(new Grant(alice, info, null, GrantRights.Read | GrantRights.SendAs), None);
        await Dir.SetGrantAsync(new Grant(alice, info, calendar.Id, GrantRights.Write), None);

        var expected = new[] { new Grant(alice, info, null, GrantRights.Read | GrantRights.SendAs), new Grant(alice, info, calendar.Id, GrantRights.Write) };
        Assert.That(await Dir.ListGrantsByGranteeAsync(alice, None), Is.EquivalentTo(expected));
        Assert.That(await Dir.ListGrantsOnAccountAsync(info, None), Is.EquivalentTo(expected));
        Assert.That(await Dir.RemoveGrantAsync(alice, info, null, None), Is.True);
        Assert.That(await Dir.RemoveGrantAsync(alice, info, null, None), Is.False);
        Assert.That(await Dir.ListGrantsByGranteeAsync(alice, None), Is.EqualTo(new[] { expected[1] }));
    }

    [Test]
    public async Task Directory_AppPasswords_FoundByDigest_UseRecorded_NamesUniquePerAccount_GoneWithTheAccount()
    {
        var alice = await CreateUserAsync("alice@example.com");
        var bob = await CreateUserAsync("bob@example.com");
        await Dir.AddAppPasswordAsync(alice, "phone", "sha256:aa", None);
        await Dir.AddAppPasswordAsync(bob, "phone", "sha256:bb", None);
        Assert.ThrowsAsync<StoreConflictException>(() => Dir.AddAppPasswordAsync(alice, "phone", "sha256:cc", None));

        Assert.That(await Dir.UseAppPasswordAsync(alice, "sha256:bb", None), Is.Null, "bob's secret is not alice's");
        Assert.That(await Dir.UseAppPasswordAsync(alice, "sha256:aa", None), Is.EqualTo("phone"));
        var listed = await Dir.ListAppPasswordsAsync(alice, None);
        Assert.That(listed.Select(p => (p.Name, p.LastUsedAt.HasValue)), Is.EqualTo(new[] { ("phone", true) }));

        Assert.That(await Dir.RemoveAppPasswordAsync(alice, "phone", None), Is.True);
        Assert.That(await Dir.RemoveAppPasswordAsync(alice, "phone", None), Is.False);
        Assert.That(await Dir.UseAppPasswordAsync(alice, "sha256:aa", None), Is.Null);
        Assert.That(await Dir.RemoveAccountAsync(bob, None), Is.True);
        Assert.That(await Dir.ListAppPasswordsAsync(bob, None), Is.Empty);
    }

    [Test]
    public async Task Directory_Administrators_AddGetChangePassword_DuplicateIsConflict()
    {
        Assert.That(await Dir.AnyAdministratorAsync(None), Is.False);
        await Dir.AddAdministratorAsync("admin", "h1", None);
        Assert.ThrowsAsync<StoreConflictException>(() => Dir.AddAdministratorAsync("admin", "h2", None));
        Assert.That(await Dir.AnyAdministratorAsync(None), Is.True);
        Assert.That(await Dir.SetAdministratorPasswordHashAsync("admin", "h3", None), Is.True);
        Assert.That(await Dir.SetAdministratorPasswordHashAsync("nobody", "h3", None), Is.False);
        Assert.That((await Dir.GetAdministratorAsync("admin", None))!.PasswordHash, Is.EqualTo("h3"));
    }

    [Test]
    public async Task CreateAccount_ProvisionsTheNineDefaultCollectionsWithRolesAndHierarchyChanges()
    {
        var account = await CreateUserAsync("new@example.com");
        var collections = await Store.ListCollectionsAsync(account, None);
        Assert.That(collections.Select(c => (c.Name, c.Kind, c.Role, c.ParentId)), Is.EqualTo(new (string, CollectionKind, CollectionRole, CollectionId?)[]
        {
            ("INBOX", CollectionKind.Mailbox, CollectionRole.Inbox, null),
            ("Drafts", CollectionKind.Mailbox, CollectionRole.Drafts, null),
            ("Sent", CollectionKind.Mailbox, CollectionRole.Sent, null),
            ("Trash", CollectionKind.Mailbox, CollectionRole.Trash, null),
            ("Junk", CollectionKind.Mailbox, CollectionRole.Junk, null),
            ("Archive", CollectionKind.Mailbox, CollectionRole.Archive, null),
            ("calendar", CollectionKind.Calendar, CollectionRole.DefaultCalendar, null),
            ("tasks", CollectionKind.Tasks, CollectionRole.DefaultTasks, null),
            ("contacts", CollectionKind.AddressBook, CollectionRole.DefaultAddressBook, null),
        }));
        Assert.That(collections.Select(c => c.UidValidity).Distinct().Count(), Is.EqualTo(9));
        Assert.That(collections.Select(c => c.NextUid.Value), Is.All.EqualTo(1u));

        var hierarchy = await Store.GetHierarchyChangesAsync(account, ModSeq.Zero, 100, None);
        Assert.That(hierarchy.Changes.Select(c => (c.Kind, c.CollectionId)),
            Is.EqualTo(collections.Select(c => (Core.Changes.CollectionChangeKind.Created, c.Id))));
        Assert.That(hierarchy.Changes.Select(c => c.ModSeq.Value), Is.Ordered.Ascending.And.Unique);
        Assert.That((await Dir.GetAccountAsync(account, None))!.ModSeq, Is.EqualTo(hierarchy.NextModSeq));
    }
}
