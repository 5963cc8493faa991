using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Storage.Tests;

/// <summary>Client-set DAV properties of a collection (schema 0006: PROPPATCH, MKCALENDAR, extended MKCOL) on every engine.</summary>
public abstract partial class StoreContractTests
{
    private const string DavNs = "DAV:";
    private const string AppleNs = "http://apple.com/ns/ical/";

    [Test]
    public async Task CollectionProperties_SetReplaceRemove_InNameOrder_KeptWhole_AndSurviveReopen()
    {
        var alice = await CreateUserAsync("alice@example.com");
        var calendar = await CollectionAsync(alice, CollectionRole.DefaultCalendar);
        var contacts = await CollectionAsync(alice, CollectionRole.DefaultAddressBook);
        const string dead = "<x:mine xmlns:x=\"urn:x\" a=\"1\"><x:nested>Ünïcode &amp; &lt;tags&gt;</x:nested></x:mine>";
        await SetPropertiesAsync(alice, calendar.Id,
            (AppleNs, "calendar-color", "<calendar-color xmlns=\"http://apple.com/ns/ical/\">#FF0000FF</calendar-color>"),
            (DavNs, "displayname", "<displayname xmlns=\"DAV:\">Work</displayname>"),
            ("urn:x", "mine", dead));
        await SetPropertiesAsync(alice, contacts.Id, (DavNs, "displayname", "<displayname xmlns=\"DAV:\">People</displayname>"));
        await ReopenAsync();

        Assert.That(await Store.GetCollectionPropertiesAsync(calendar.Id, None), Is.EqualTo(new[]
        {
            new CollectionProperty(DavNs, "displayname", "<displayname xmlns=\"DAV:\">Work</displayname>"),
            new CollectionProperty(AppleNs, "calendar-color", "<calendar-color xmlns=\"http://apple.com/ns/ical/\">#FF0000FF</calendar-color>"),
            new CollectionProperty("urn:x", "mine", dead),
        }));
        Assert.That((await Store.GetCollectionPropertiesAsync(contacts.Id, None)).Select(p => p.Xml),
            Is.EqualTo(new[] { "<displayname xmlns=\"DAV:\">People</displayname>" }));

        await SetPropertiesAsync(alice, calendar.Id,
            (DavNs, "displayname", "<displayname xmlns=\"DAV:\">Home</displayname>"),
            (AppleNs, "calendar-color", null),
            (AppleNs, "calendar-order", null)); // removing an absent property is no error
        Assert.That(await Store.GetCollectionPropertiesAsync(calendar.Id, None), Is.EqualTo(new[]
        {
            new CollectionProperty(DavNs, "displayname", "<displayname xmlns=\"DAV:\">Home</displayname>"),
            new CollectionProperty("urn:x", "mine", dead),
        }));
    }

    [Test]
    public async Task CollectionProperties_AreNotChanges_RollBackUncommitted_AndGoWithTheCollection()
    {
        var alice = await CreateUserAsync("alice@example.com");
        var calendar = await CollectionAsync(alice, CollectionRole.DefaultCalendar);
        await SetPropertiesAsync(alice, calendar.Id, (DavNs, "displayname", "<displayname xmlns=\"DAV:\">Work</displayname>"));
        var after = (await Store.GetCollectionAsync(calendar.Id, None))!;
        Assert.That(after.HighestModSeq, Is.EqualTo(calendar.HighestModSeq), "a property is not a change of the collection's members");
        Assert.That((await Store.GetChangesAsync(calendar.Id, calendar.HighestModSeq, 100, None)).Changes, Is.Empty);

        await using (var tx = await Store.BeginAsync(alice, None))
            await tx.SetCollectionPropertyAsync(calendar.Id, DavNs, "displayname", "<displayname xmlns=\"DAV:\">Lost</displayname>", None);
        Assert.That((await Store.GetCollectionPropertiesAsync(calendar.Id, None)).Single().Xml, Does.Contain("Work"));

        Collection made;
        await using (var tx = await Store.BeginAsync(alice, None))
        {
            made = await tx.CreateCollectionAsync(new NewCollection("Doomed", CollectionKind.Calendar), None);
            await tx.SetCollectionPropertyAsync(made.Id, DavNs, "displayname", "<displayname xmlns=\"DAV:\">Doomed</displayname>", None);
            await tx.CommitAsync(None);
        }
        Assert.That(await Store.GetCollectionPropertiesAsync(made.Id, None), Has.Count.EqualTo(1));
        await using (var tx = await Store.BeginAsync(alice, None))
        {
            await tx.DeleteCollectionAsync(made.Id, None);
            await tx.CommitAsync(None);
        }
        Assert.That(await Store.GetCollectionPropertiesAsync(made.Id, None), Is.Empty);
    }

    [Test]
    public async Task CollectionProperties_OfAnotherAccount_CannotBeSet()
    {
        var alice = await CreateUserAsync("alice@example.com");
        var bob = await CreateUserAsync("bob@example.com");
        var calendar = await CollectionAsync(alice, CollectionRole.DefaultCalendar);
        await using var tx = await Store.BeginAsync(bob, None);
        Assert.ThrowsAsync<StoreNotFoundException>(() =>
            tx.SetCollectionPropertyAsync(calendar.Id, DavNs, "displayname", "<displayname xmlns=\"DAV:\">Mine</displayname>", None));
        Assert.That(await Store.GetCollectionPropertiesAsync(calendar.Id, None), Is.Empty);
    }

    private async Task SetPropertiesAsync(AccountId account, CollectionId collection, params (string Ns, string Name, string? Xml)[] properties)
    {
        await using var tx = await Store.BeginAsync(account, None);
        foreach (var (ns, name, xml) in properties)
            await tx.SetCollectionPropertyAsync(collection, ns, name, xml, None);
        await tx.CommitAsync(None);
    }
}
