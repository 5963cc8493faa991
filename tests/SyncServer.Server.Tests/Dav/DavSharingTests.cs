using System.Net;
using System.Xml.Linq;
using SyncServer.Server.Tests.Cli;
using static SyncServer.Server.Tests.Dav.Dav;

namespace SyncServer.Server.Tests.Dav;

/// <summary>
/// Sharing (issue 5 §7, client-requirements DAV-Q-17): a calendar or address book alice shares with bob through
/// <c>syncserver share</c> appears in bob's home as <c>{name}~{owner}</c>, readable or writable as the grant says, with the
/// privileges and sharing properties clients read; both see the same change log; revoking it removes it; without a grant
/// alice's URLs stay absent for bob.
/// </summary>
[TestFixture]
public sealed class DavSharingTests : DavFixture
{
    private const string AliceCalendar = "/dav/calendars/alice@example.org/calendar/";
    private const string BobHome = "/dav/calendars/bob@example.org/";
    private const string Shared = BobHome + "calendar~alice@example.org/";
    private const string SharedContacts = "/dav/addressbooks/bob@example.org/contacts~alice@example.org/";

    private const string HomeBody = """
        <D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/">
          <D:prop><D:resourcetype/><D:displayname/><D:owner/><D:current-user-privilege-set/><CS:invite/><CS:shared-url/>
            <C:supported-calendar-component-set/></D:prop></D:propfind>
        """;

    private HttpClient _bob = null!;

    [OneTimeSetUp]
    public async Task AlicesEventAsync()
    {
        _bob = Server.Client(DavServer.Bob);
        Assert.That((await Alice.PutCalendarAsync(AliceCalendar + "standup.ics", Event("standup@test", "20260302T090000Z", "20260302T091500Z", "Standup"))).StatusCode,
            Is.EqualTo(HttpStatusCode.Created));
    }

    [OneTimeTearDown]
    public void DisposeBob() => _bob.Dispose();

    [TearDown]
    public Task UnshareAsync() => ShareAsync("remove", "calendar", expectOk: false);

    [Test]
    public async Task A_read_only_share_appears_in_bobs_home_and_every_write_gets_need_privileges()
    {
        Assert.That((await _bob.SendAsync("GET", Shared + "standup.ics")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "no grant yet");
        Assert.That((await _bob.SendAsync("PROPFIND", "/dav/principals/alice@example.org/", headers: ("Depth", "0"))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        await ShareAsync("add", "calendar", "--rights", "read");

        Golden.AssertMatches("sharing-1-bob-calendar-home", await PropFindTextAsync(_bob, BobHome, "1", HomeBody));
        Golden.AssertMatches("sharing-2-alice-shared-owner", await PropFindTextAsync(Alice, AliceCalendar, "0", HomeBody));
        var get = await _bob.SendAsync("GET", Shared + "standup.ics");
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await get.Content.ReadAsStringAsync(), Does.Contain("SUMMARY:Standup"));
        var query = await (await _bob.SendAsync("REPORT", Shared, """
            <C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop>
              <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20260302T000000Z" end="20260303T000000Z"/></C:comp-filter></C:comp-filter></C:filter>
            </C:calendar-query>
            """, headers: ("Depth", "1"))).MultistatusAsync();
        Assert.That(query.Hrefs(), Is.EqualTo(new[] { Shared + "standup.ics" }));

        var token = await PropertyAsync(Alice, AliceCalendar, D + "sync-token");
        await (await _bob.PutCalendarAsync(Shared + "bobs.ics", Event("bobs@test", "20260302T100000Z", "20260302T110000Z"))).AssertNeedsPrivilegeAsync(Shared, "bind");
        await (await _bob.PutCalendarAsync(Shared + "standup.ics", Event("standup@test", "20260302T090000Z", "20260302T091500Z", "Hijacked")))
            .AssertNeedsPrivilegeAsync(Shared + "standup.ics", "write-content");
        await (await _bob.SendAsync("DELETE", Shared + "standup.ics")).AssertNeedsPrivilegeAsync(Shared, "unbind");
        await (await _bob.SendAsync("MOVE", Shared + "standup.ics", headers: ("Destination", Shared + "moved.ics"))).AssertNeedsPrivilegeAsync(Shared, "unbind");
        Assert.That((await _bob.SendAsync("DELETE", Shared)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var patch = await (await _bob.SendAsync("PROPPATCH", Shared, """
            <D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>Bob's now</D:displayname></D:prop></D:set></D:propertyupdate>
            """)).MultistatusAsync();
        Assert.That(patch.Descendants(D + "status").Single().Value, Is.EqualTo("HTTP/1.1 403 Forbidden"));
        Assert.That(await PropertyAsync(Alice, AliceCalendar, D + "sync-token"), Is.EqualTo(token), "nothing changed in alice's calendar");
        Assert.That(await PropertyAsync(Alice, AliceCalendar, D + "displayname"), Is.EqualTo("calendar"));

        var principal = (await (await _bob.SendAsync("PROPFIND", "/dav/principals/alice@example.org/", """
            <D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:displayname/><C:calendar-home-set/></D:prop></D:propfind>
            """, headers: ("Depth", "0"))).MultistatusAsync()).Response("/dav/principals/alice@example.org/");
        Assert.That(principal.Found(D + "displayname")!.Value, Is.EqualTo("alice"), "the owner named by DAV:owner can be looked up");
        Assert.That(principal.Found(C + "calendar-home-set"), Is.Null, "but not where the owner's homes are");
    }

    [Test]
    public async Task Without_a_grant_or_through_the_owners_urls_bob_still_gets_404()
    {
        await ShareAsync("add", "calendar", "--rights", "read-write");
        foreach (var (method, path) in new[] { ("GET", AliceCalendar + "standup.ics"), ("PROPFIND", AliceCalendar), ("PROPFIND", "/dav/calendars/alice@example.org/"),
                     ("DELETE", AliceCalendar + "standup.ics"), ("GET", BobHome + "tasks~alice@example.org/"), ("PROPFIND", SharedContacts) })
            Assert.That((await _bob.SendAsync(method, path)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), $"{method} {path}");
        var multiget = await (await _bob.SendAsync("REPORT", "/dav/calendars/bob@example.org/calendar/", $"""
            <C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data/></D:prop>
              <D:href>{AliceCalendar}standup.ics</D:href><D:href>{Shared}standup.ics</D:href></C:calendar-multiget>
            """)).MultistatusAsync();
        Assert.That(multiget.ToString(), Does.Not.Contain("Standup"), "a multiget reaches only the collection it is sent to");
    }

    [Test]
    public async Task A_read_write_share_is_written_through_the_owners_change_log_and_revoking_removes_it()
    {
        await ShareAsync("add", "calendar", "--rights", "read-write");
        var bobToken = await PropertyAsync(_bob, Shared, D + "sync-token");
        Assert.That(bobToken, Is.EqualTo(await PropertyAsync(Alice, AliceCalendar, D + "sync-token")), "one collection, one change log");
        var privileges = (await PropFindAsync(_bob, Shared, "0", HomeBody)).Response(Shared).Found(D + "current-user-privilege-set")!;
        Assert.That(privileges.Descendants().Select(e => e.Name.LocalName), Does.Contain("write-content").And.Contain("bind").And.Not.Contain("write-properties"));

        var put = await _bob.PutCalendarAsync(Shared + "from-bob.ics", Event("from-bob@test", "20260303T100000Z", "20260303T110000Z", "Bob's slot"));
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var seenByAlice = await Alice.SendAsync("GET", AliceCalendar + "from-bob.ics");
        Assert.That(await seenByAlice.Content.ReadAsStringAsync(), Does.Contain("SUMMARY:Bob's slot"));
        Assert.That(seenByAlice.Headers.ETag!.Tag, Is.EqualTo(put.Headers.ETag!.Tag));
        Assert.That((await SyncAsync(Alice, AliceCalendar, bobToken)).Hrefs(), Is.EqualTo(new[] { AliceCalendar + "from-bob.ics" }));

        bobToken = await PropertyAsync(_bob, Shared, D + "sync-token");
        Assert.That((await Alice.SendAsync("DELETE", AliceCalendar + "from-bob.ics")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var delta = await SyncAsync(_bob, Shared, bobToken);
        Assert.That(delta.Response(Shared + "from-bob.ics").Element(D + "status")!.Value, Is.EqualTo("HTTP/1.1 404 Not Found"), "alice's delete reaches bob's sync");
        Assert.That((await _bob.SendAsync("COPY", Shared + "standup.ics", headers: ("Destination", "/dav/calendars/bob@example.org/calendar/standup.ics"))).StatusCode,
            Is.EqualTo(HttpStatusCode.Forbidden), "no copy between two accounts' collections");

        await ShareAsync("remove", "calendar");
        var home = await PropFindAsync(_bob, BobHome, "1", HomeBody);
        Assert.That(home.Hrefs(), Does.Not.Contain(Shared));
        Assert.That((await _bob.SendAsync("GET", Shared + "standup.ics")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await _bob.SendAsync("REPORT", Shared, SyncBody(bobToken))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await PropFindAsync(Alice, AliceCalendar, "0", HomeBody)).Response(AliceCalendar).Found(CS + "invite"), Is.Null);
    }

    [Test]
    public async Task A_shared_address_book_answers_queries_in_bobs_address_book_home()
    {
        const string card = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:carol@test\r\nFN:Carol Client\r\nN:Client;Carol;;;\r\nEMAIL:carol@client.test\r\nEND:VCARD\r\n";
        Assert.That((await Alice.SendAsync("PUT", "/dav/addressbooks/alice@example.org/contacts/carol.vcf", card, "text/vcard")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await ShareAsync("add", "contacts", "--rights", "read");
        try
        {
            var books = await PropFindAsync(_bob, "/dav/addressbooks/bob@example.org/", "1", HomeBody);
            Assert.That(books.Hrefs(), Does.Contain(SharedContacts));
            var found = await (await _bob.SendAsync("REPORT", SharedContacts, """
                <C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><C:address-data/></D:prop>
                  <C:filter><C:prop-filter name="FN"><C:text-match match-type="contains">carol</C:text-match></C:prop-filter></C:filter></C:addressbook-query>
                """, headers: ("Depth", "1"))).MultistatusAsync();
            Assert.That(found.Response(SharedContacts + "carol.vcf").Found(Card + "address-data")!.Value, Does.Contain("FN:Carol Client"));
            await (await _bob.SendAsync("DELETE", SharedContacts + "carol.vcf")).AssertNeedsPrivilegeAsync(SharedContacts, "unbind");
        }
        finally
        {
            await ShareAsync("remove", "contacts");
        }
    }

    /// <summary>Apple Calendar's and Evolution's way (caldav-sharing): alice POSTs <c>CS:share</c> to her calendar.</summary>
    [Test]
    public async Task A_calendarserver_share_post_grants_what_the_cli_grants_and_a_remove_withdraws_it()
    {
        var post = await Alice.SendAsync("POST", AliceCalendar, CalendarServerShare("<CS:read/>"));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.OK), await post.Content.ReadAsStringAsync());

        Golden.AssertMatches("sharing-1-bob-calendar-home", await PropFindTextAsync(_bob, BobHome, "1", HomeBody));
        Golden.AssertMatches("sharing-3-alice-shared-by-post", await PropFindTextAsync(Alice, AliceCalendar, "0", SharingBody));
        await (await _bob.PutCalendarAsync(Shared + "standup.ics", Event("standup@test", "20260302T090000Z", "20260302T091500Z", "Hijacked")))
            .AssertNeedsPrivilegeAsync(Shared + "standup.ics", "write-content");
        Assert.That((await ServerProcess.RunAsync(Server.DataDirectory, null, "share", "list")).Stdout,
            Does.Contain("alice@example.org/calendar -> bob@example.org (read)"));

        Assert.That((await Alice.SendAsync("POST", AliceCalendar, CalendarServerShare("<CS:read-write/>"))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await _bob.PutCalendarAsync(Shared + "bobs.ics", Event("bobs@test", "20260302T100000Z", "20260302T110000Z"))).StatusCode,
            Is.EqualTo(HttpStatusCode.Created), "read-write now");
        Assert.That((await Alice.SendAsync("DELETE", AliceCalendar + "bobs.ics")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var remove = await Alice.SendAsync("POST", AliceCalendar, """
            <CS:share xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><CS:remove><D:href>mailto:bob@example.org</D:href></CS:remove></CS:share>
            """);
        Assert.That(remove.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await PropFindAsync(_bob, BobHome, "1", HomeBody)).Hrefs(), Does.Not.Contain(Shared));
        Assert.That((await PropFindAsync(Alice, AliceCalendar, "0", SharingBody)).Response(AliceCalendar).Found(D + "share-access")!.Elements().Single().Name,
            Is.EqualTo(D + "not-shared"));
    }

    /// <summary>DAVx5's and Nextcloud's way (draft-pot-webdav-resource-sharing): <c>DAV:share-resource</c> naming the sharee by principal URL.</summary>
    [Test]
    public async Task A_share_resource_post_shares_an_address_book_and_no_access_withdraws_it()
    {
        const string aliceContacts = "/dav/addressbooks/alice@example.org/contacts/";
        var post = await Alice.SendAsync("POST", aliceContacts, ShareResource("/dav/principals/bob@example.org/", "read-write"), "application/davsharing+xml");
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.OK), await post.Content.ReadAsStringAsync());
        try
        {
            var bobs = (await PropFindAsync(_bob, SharedContacts, "0", SharingBody)).Response(SharedContacts);
            Assert.That(bobs.Found(D + "share-access")!.Elements().Single().Name, Is.EqualTo(D + "read-write"));
            Assert.That(bobs.Found(D + "current-user-privilege-set")!.Descendants().Select(e => e.Name.LocalName), Does.Contain("write-content").And.Contain("bind"));
            Assert.That(bobs.Found(CS + "allowed-sharing-modes"), Is.Null, "a sharee cannot share it further");
            const string card = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:dave@test\r\nFN:Dave\r\nN:;Dave;;;\r\nEND:VCARD\r\n";
            Assert.That((await _bob.SendAsync("PUT", SharedContacts + "dave.vcf", card, "text/vcard")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That((await Alice.SendAsync("GET", aliceContacts + "dave.vcf")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await Alice.SendAsync("DELETE", aliceContacts + "dave.vcf")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
        finally
        {
            Assert.That((await Alice.SendAsync("POST", aliceContacts, ShareResource("mailto:bob@example.org", "no-access"), "application/davsharing+xml")).StatusCode,
                Is.EqualTo(HttpStatusCode.OK));
        }
        Assert.That((await _bob.SendAsync("PROPFIND", SharedContacts, headers: ("Depth", "0"))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Refused_share_posts_change_nothing()
    {
        await ShareAsync("add", "calendar", "--rights", "read-write");
        Assert.That((await _bob.SendAsync("POST", Shared, CalendarServerShare("<CS:read/>", "mailto:alice@example.org"))).StatusCode,
            Is.EqualTo(HttpStatusCode.Forbidden), "only the owner shares");
        Assert.That((await _bob.SendAsync("POST", AliceCalendar, CalendarServerShare("<CS:read/>"))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await Alice.SendAsync("POST", AliceCalendar, CalendarServerShare(""))).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "no access named");
        Assert.That((await Alice.SendAsync("POST", AliceCalendar, "<CS:share xmlns:CS=\"http://calendarserver.org/ns/\"/>")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Alice.SendAsync("POST", AliceCalendar, "<D:propfind xmlns:D=\"DAV:\"/>")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Alice.SendAsync("POST", AliceCalendar, "BEGIN:VCALENDAR", "text/calendar")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));

        // carol has no account, and alice cannot share with herself: the whole request is refused, bob keeps read-write
        var unknown = await Alice.SendAsync("POST", AliceCalendar, """
            <CS:share xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/">
              <CS:set><D:href>mailto:bob@example.org</D:href><CS:read/></CS:set>
              <CS:set><D:href>mailto:carol@example.org</D:href><CS:read/></CS:set>
              <CS:set><D:href>mailto:alice@example.org</D:href><CS:read/></CS:set>
            </CS:share>
            """);
        Golden.AssertMatches("sharing-4-unknown-sharee", await unknown.Content.ReadAsStringAsync());
        Assert.That((int)unknown.StatusCode, Is.EqualTo(207));
        var privileges = (await PropFindAsync(_bob, Shared, "0", HomeBody)).Response(Shared).Found(D + "current-user-privilege-set")!;
        Assert.That(privileges.Descendants().Select(e => e.Name.LocalName), Does.Contain("write-content"), "still read-write");
    }

    private const string SharingBody = """
        <D:propfind xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/">
          <D:prop><D:resourcetype/><D:current-user-privilege-set/><CS:invite/><CS:allowed-sharing-modes/><D:share-access/></D:prop></D:propfind>
        """;

    private static string CalendarServerShare(string access, string sharee = "mailto:bob@example.org") => $"""
        <CS:share xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/">
          <CS:set><D:href>{sharee}</D:href><CS:common-name>Bob</CS:common-name><CS:summary>Team calendar</CS:summary>{access}</CS:set>
        </CS:share>
        """;

    private static string ShareResource(string sharee, string access) => $"""
        <D:share-resource xmlns:D="DAV:">
          <D:sharee><D:href>{sharee}</D:href><D:prop><D:displayname>Bob</D:displayname></D:prop><D:comment>Contacts</D:comment>
            <D:share-access><D:{access}/></D:share-access></D:sharee>
        </D:share-resource>
        """;

    private async Task ShareAsync(string verb, string collection, params string[] rest) => await ShareAsync(verb, collection, true, rest);

    private async Task ShareAsync(string verb, string collection, bool expectOk, params string[] rest)
    {
        var result = await ServerProcess.RunAsync(Server.DataDirectory, null, ["share", verb, DavServer.Alice, collection, DavServer.Bob, .. rest]);
        if (expectOk)
            Assert.That(result.ExitCode, Is.Zero, result.Stderr);
    }


    private static async Task<string> PropFindTextAsync(HttpClient client, string path, string depth, string body)
    {
        var response = await client.SendAsync("PROPFIND", path, body, headers: ("Depth", depth));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(207), text);
        return text;
    }

    private static async Task<XDocument> PropFindAsync(HttpClient client, string path, string depth, string body)
        => XDocument.Parse(await PropFindTextAsync(client, path, depth, body));

    private static async Task<string> PropertyAsync(HttpClient client, string path, XName name)
        => (await PropFindAsync(client, path, "0", $"""<D:propfind xmlns:D="DAV:"><D:prop><{name.LocalName} xmlns="{name.NamespaceName}"/></D:prop></D:propfind>"""))
            .Response(path).Found(name)!.Value;

    private static async Task<XDocument> SyncAsync(HttpClient client, string collection, string token)
        => await (await client.SendAsync("REPORT", collection, SyncBody(token))).MultistatusAsync();

    private static string SyncBody(string token)
        => $"""<D:sync-collection xmlns:D="DAV:"><D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>""";
}
