using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Storage.Tests;

/// <summary>ActiveSync devices and sync states on every engine.</summary>
public abstract partial class StoreContractTests
{
    private IDeviceStore Devices => Opened.Devices;

    /// <summary>The clock's time as the store keeps times: whole milliseconds.</summary>
    private DateTimeOffset StoredNow => DateTimeOffset.FromUnixTimeMilliseconds(Time.GetUtcNow().ToUnixTimeMilliseconds());

    [Test]
    public async Task Devices_KeyedByAccountAndDeviceId_RecordRequestKeepsFirstSeen_InformationMerges()
    {
        var alice = await CreateUserAsync("alice@example.com");
        var bob = await CreateUserAsync("bob@example.com");
        var first = await Devices.RecordRequestAsync(alice, "dev1", "iPhone", "Apple-iPhone11C8/2007.75", "16.1", None);
        Assert.That((first.PolicyKey, first.Wipe, first.FirstSeen), Is.EqualTo((0u, WipeState.None, StoredNow)));
        await Devices.RecordRequestAsync(bob, "dev1", "iPhone", null, "14.1", None);   // the same phone, another account
        Time.Advance(TimeSpan.FromMinutes(5));
        await Devices.SetInformationAsync(alice, "dev1", new DeviceInformation(Model: "iPhone15,2", OperatingSystem: "iOS 18.1"), None);
        await Devices.SetInformationAsync(alice, "dev1", new DeviceInformation(FriendlyName: "Alice's phone"), None);
        var again = await Devices.RecordRequestAsync(alice, "dev1", "iPhone", null, null, None);

        Assert.That((again.FirstSeen, again.LastSeen, again.UserAgent, again.ProtocolVersion),
            Is.EqualTo((first.FirstSeen, StoredNow, "Apple-iPhone11C8/2007.75", "16.1")));
        Assert.That(again.Information, Is.EqualTo(new DeviceInformation("iPhone15,2", "Alice's phone", "iOS 18.1")));
        Assert.That((await Devices.ListDevicesAsync(null, None)).Select(d => (d.Account, d.DeviceId)), Is.EqualTo(new[] { (alice, "dev1"), (bob, "dev1") }));
        Assert.That((await Devices.ListDevicesAsync(bob, None)).Single().ProtocolVersion, Is.EqualTo("14.1"));
        Assert.That(await Devices.GetDeviceAsync(alice, "other", None), Is.Null);
    }

    [Test]
    public async Task Devices_PolicyKeysAndWipe_AreStored_WipedRecordsWhen()
    {
        var alice = await CreateUserAsync("alice@example.com");
        await Devices.RecordRequestAsync(alice, "dev1", "Android", null, null, None);
        await Devices.SetPolicyKeysAsync(alice, "dev1", 0, 4_000_000_000, None);
        await Devices.SetPolicyKeysAsync(alice, "dev1", 3_999_999_999, 0, None);
        Assert.That(await Devices.SetWipeAsync(alice, "dev1", WipeState.Requested, None), Is.True);
        Assert.That((await Devices.GetDeviceAsync(alice, "dev1", None))!.WipeAcknowledgedAt, Is.Null);
        Assert.That(await Devices.SetWipeAsync(alice, "dev1", WipeState.Wiped, None), Is.True);
        Assert.That(await Devices.SetWipeAsync(alice, "nodevice", WipeState.Requested, None), Is.False);

        var device = (await Devices.GetDeviceAsync(alice, "dev1", None))!;
        Assert.That((device.PolicyKey, device.PendingPolicyKey, device.Wipe, device.WipeAcknowledgedAt),
            Is.EqualTo((3_999_999_999u, 0u, WipeState.Wiped, (DateTimeOffset?)StoredNow)));
    }

    [Test]
    public async Task SyncStates_SavedPerDeviceAndCollection_Replaced_GoneWithTheDeviceOrAccount()
    {
        var alice = await CreateUserAsync("alice@example.com");
        await Devices.RecordRequestAsync(alice, "dev1", "iPhone", null, null, None);
        await Devices.RecordRequestAsync(alice, "dev2", "iPhone", null, null, None);
        await Devices.SaveSyncStateAsync(new SyncState(alice, "dev1", SyncState.Hierarchy, 1, new ModSeq(10), new ModSeq(0)), None);
        await Devices.SaveSyncStateAsync(new SyncState(alice, "dev1", SyncState.Hierarchy, 2, new ModSeq(12), new ModSeq(10), "{\"a\":1}"), None);
        await Devices.SaveSyncStateAsync(new SyncState(alice, "dev2", "7", 5, new ModSeq(3), new ModSeq(2)), None);

        Assert.That(await Devices.GetSyncStateAsync(alice, "dev1", SyncState.Hierarchy, None),
            Is.EqualTo(new SyncState(alice, "dev1", SyncState.Hierarchy, 2, new ModSeq(12), new ModSeq(10), "{\"a\":1}")));
        Assert.That(await Devices.GetSyncStateAsync(alice, "dev1", "7", None), Is.Null);

        Assert.That(await Devices.RemoveDeviceAsync(alice, "dev1", None), Is.True);
        Assert.That(await Devices.GetSyncStateAsync(alice, "dev1", SyncState.Hierarchy, None), Is.Null);
        Assert.That(await Devices.RemoveDeviceAsync(alice, "dev1", None), Is.False);
        Assert.That(await Dir.RemoveAccountAsync(alice, None), Is.True);
        Assert.That(await Devices.ListDevicesAsync(null, None), Is.Empty);
    }

    [Test]
    public async Task SyncStates_SavedInAStoreTransaction_CommitWithItsChanges_OrRollBackWithThem()
    {
        var alice = await CreateUserAsync("alice@example.com");
        var bob = await CreateUserAsync("bob@example.com");
        await Devices.RecordRequestAsync(alice, "dev1", "iPhone", null, null, None);
        var drafts = await CollectionAsync(alice, CollectionRole.Drafts);
        var (blob, size) = await WriteBlobAsync("Subject: draft\r\n\r\nbody\r\n");
        SyncState State(long key, string map) => new(alice, "dev1", drafts.Id.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            key, new ModSeq(1), new ModSeq(0), map);

        await using (var lost = await Store.BeginAsync(alice, None))
        {
            await lost.AddItemAsync(drafts.Id, new NewItem(blob, size, Time.GetUtcNow(), Mail: new MailIndex(MailFlags.Draft, [])), None);
            await lost.SaveSyncStateAsync(State(2, "{\"c1\":1}"), None);
        }   // disposed without commit: a crash before the answer
        Assert.That(await Store.ListItemsAsync(drafts.Id, new ImapUid(0), 10, None), Is.Empty);
        Assert.That(await Devices.GetSyncStateAsync(alice, "dev1", State(0, "").Collection, None), Is.Null);

        Item added;
        await using (var kept = await Store.BeginAsync(alice, None))
        {
            added = await kept.AddItemAsync(drafts.Id, new NewItem(blob, size, Time.GetUtcNow(), Mail: new MailIndex(MailFlags.Draft, [])), None);
            await kept.SaveSyncStateAsync(State(2, $"{{\"c1\":{added.Id.Value}}}"), None);
            await kept.CommitAsync(None);
        }
        Assert.That((await Store.ListItemsAsync(drafts.Id, new ImapUid(0), 10, None)).Select(i => i.Id), Is.EqualTo(new[] { added.Id }));
        Assert.That(await Devices.GetSyncStateAsync(alice, "dev1", State(0, "").Collection, None), Is.EqualTo(State(2, $"{{\"c1\":{added.Id.Value}}}")));

        await using var other = await Store.BeginAsync(bob, None);
        Assert.ThrowsAsync<StoreNotFoundException>(() => other.SaveSyncStateAsync(State(3, "{}"), None), "another account's state is not this transaction's");
    }
}
