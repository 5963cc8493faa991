using System.Net;
using System.Xml.Linq;
using SyncServer.Core.Model;
using SyncServer.Storage;
using static SyncServer.Server.Tests.Dav.Dav;

namespace SyncServer.Server.Tests.Dav;

/// <summary>sync-collection (RFC 6578) from the store's change log, getctag, and the same item seen through the store (two doors).</summary>
[TestFixture]
public sealed class SyncCollectionTests : DavFixture
{
    private const string Calendar = "/dav/calendars/alice@example.org/calendar/";

    [Test]
    public async Task Empty_token_lists_everything_then_a_token_lists_changes_and_removals()
    {
        await PutAsync("a.ics", "sync-a@test");
        await PutAsync("b.ics", "sync-b@test");
        var initial = await SyncAsync(Calendar, "");
        Assert.That(initial.Hrefs(), Is.EquivalentTo(new[] { Calendar + "a.ics", Calendar + "b.ics" }));
        var token = initial.Root!.Element(D + "sync-token")!.Value;
        Assert.That(token, Is.EqualTo(await CollectionPropertyAsync(D + "sync-token")), "the token PROPFIND shows is the one the report returns");

        var unchanged = await SyncAsync(Calendar, token);
        Assert.That(unchanged.Hrefs(), Is.Empty);
        Assert.That(unchanged.Root!.Element(D + "sync-token")!.Value, Is.EqualTo(token));

        var ctagBefore = await CollectionPropertyAsync(CS + "getctag");
        await PutAsync("a.ics", "sync-a@test", "edited");
        Assert.That((await Alice.SendAsync("DELETE", Calendar + "b.ics")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await PutAsync("c.ics", "sync-c@test");
        Assert.That(await CollectionPropertyAsync(CS + "getctag"), Is.Not.EqualTo(ctagBefore));

        var delta = await SyncAsync(Calendar, token);
        Assert.That(delta.Response(Calendar + "a.ics").Found(D + "getetag"), Is.Not.Null);
        Assert.That(delta.Response(Calendar + "c.ics").Found(D + "getetag"), Is.Not.Null);
        Assert.That(delta.Response(Calendar + "b.ics").Element(D + "status")!.Value, Is.EqualTo("HTTP/1.1 404 Not Found"));
    }

    [Test]
    public async Task Limit_truncates_with_507_and_the_token_continues()
    {
        Assert.That((await Alice.SendAsync("MKCALENDAR", "/dav/calendars/alice@example.org/limited/")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        for (var i = 0; i < 5; i++)
            await PutAsync($"l{i}.ics", $"limit-{i}@test", calendar: "/dav/calendars/alice@example.org/limited/");
        var seen = new List<string>();
        var token = "";
        for (var round = 0; round < 5; round++)
        {
            var page = await SyncAsync("/dav/calendars/alice@example.org/limited/", token, limit: 2);
            var members = page.Hrefs().Where(h => h.EndsWith(".ics", StringComparison.Ordinal)).ToList();
            seen.AddRange(members);
            token = page.Root!.Element(D + "sync-token")!.Value;
            var truncated = page.Root.Elements(D + "response").Any(r => r.Element(D + "status")?.Value.Contains("507") == true);
            if (!truncated)
                break;
            Assert.That(page.Descendants(D + "number-of-matches-within-limits"), Is.Not.Empty);
        }
        Assert.That(seen.Distinct().Count(), Is.EqualTo(5));
    }

    [TestCase("urn:syncserver:sync:999999:1")]
    [TestCase("http://example.com/ns/sync/1234")]
    [TestCase("urn:syncserver:sync:1:99999999")]
    public async Task Unknown_tokens_get_valid_sync_token(string token)
    {
        var response = await Alice.SendAsync("REPORT", Calendar, SyncBody(token, null));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Elements().Single().Name, Is.EqualTo(D + "valid-sync-token"));
    }

    [Test]
    public async Task The_same_item_through_two_doors()
    {
        var put = await Alice.PutCalendarAsync(Calendar + "two-doors.ics", Event("two-doors@test", "20260601T100000Z", "20260601T110000Z"));
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await using var opened = await StoreHost.OpenAsync(new StorageOptions { DataDirectory = Server.DataDirectory }, TimeProvider.System, CancellationToken.None);
        var account = await opened.Directory.GetAccountAsync(DavServer.Alice, CancellationToken.None);
        var collection = (await opened.Store.ListCollectionsAsync(account!.Id, CancellationToken.None)).Single(c => c.Role == CollectionRole.DefaultCalendar);
        var item = await opened.Store.GetItemByResourceNameAsync(collection.Id, "two-doors.ics", CancellationToken.None);
        Assert.That(item, Is.Not.Null);
        Assert.That(item!.ETag, Is.EqualTo(put.Headers.ETag!.Tag));
        Assert.That(item.Calendar, Is.EqualTo(new CalendarIndex("two-doors@test", "VEVENT",
            DateTimeOffset.Parse("2026-06-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse("2026-06-01T11:00:00Z", System.Globalization.CultureInfo.InvariantCulture), false)));
        var changes = await opened.Store.GetChangesAsync(collection.Id, new ModSeq(0), 1000, CancellationToken.None);
        var change = changes.Changes.Single(c => c.ResourceName == "two-doors.ics");
        Assert.That((change.ItemId, change.ModSeq), Is.EqualTo((item.Id, item.ModSeq)));
    }

    private async Task PutAsync(string name, string uid, string summary = "Sync", string calendar = Calendar)
    {
        var response = await Alice.PutCalendarAsync(calendar + name, Event(uid, "20260301T100000Z", "20260301T110000Z", summary));
        Assert.That((int)response.StatusCode, Is.AnyOf(201, 204));
    }

    private async Task<XDocument> SyncAsync(string collection, string token, int? limit = null)
        => await (await Alice.SendAsync("REPORT", collection, SyncBody(token, limit))).MultistatusAsync();

    private static string SyncBody(string token, int? limit)
        => $"""
            <D:sync-collection xmlns:D="DAV:"><D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level>
              {(limit is { } n ? $"<D:limit><D:nresults>{n}</D:nresults></D:limit>" : "")}<D:prop><D:getetag/></D:prop></D:sync-collection>
            """;

    private async Task<string> CollectionPropertyAsync(XName name)
    {
        var response = await (await Alice.SendAsync("PROPFIND", Calendar, $"""<D:propfind xmlns:D="DAV:"><D:prop><{name.LocalName} xmlns="{name.NamespaceName}"/></D:prop></D:propfind>""",
            headers: ("Depth", "0"))).MultistatusAsync();
        return response.Response(Calendar).Found(name)!.Value;
    }
}
