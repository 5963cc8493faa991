using System.Net;
using System.Xml.Linq;
using static SyncServer.Server.Tests.Dav.Dav;

namespace SyncServer.Server.Tests.Dav;

/// <summary>WebDAV core (RFC 4918, 5689, 4791 §5.3) over HttpClient against the real server.</summary>
[TestFixture]
public sealed class DavCoreTests : DavFixture
{
    private const string Calendar = "/dav/calendars/alice@example.org/calendar/";

    [Test]
    public async Task Without_credentials_the_answer_is_401_with_a_Basic_challenge()
    {
        using var anonymous = Server.Client("alice@example.org", "wrong password");
        anonymous.DefaultRequestHeaders.Authorization = null;
        var response = await anonymous.SendAsync("PROPFIND", "/dav/", headers: ("Depth", "0"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Basic realm="));
        using var wrong = Server.Client("alice@example.org", "wrong password");
        Assert.That((await wrong.SendAsync("PROPFIND", "/dav/")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Options_names_only_the_implemented_compliance_classes()
    {
        var response = await Alice.SendAsync("OPTIONS", Calendar);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.GetValues("DAV").Single(), Is.EqualTo("1, 3, access-control, calendar-access, calendar-auto-schedule, calendarserver-sharing, resource-sharing, addressbook, extended-mkcol"));
        Assert.That(response.Content.Headers.Allow, Does.Contain("REPORT").And.Contain("MKCALENDAR"));
    }

    [Test]
    public async Task Propfind_reports_unknown_properties_under_404_and_Prefer_minimal_leaves_them_out()
    {
        const string body = """<d:propfind xmlns:d="DAV:" xmlns:x="urn:x"><d:prop><d:displayname/><x:nothing/></d:prop></d:propfind>""";
        var full = await (await Alice.SendAsync("PROPFIND", Calendar, body, headers: ("Depth", "0"))).MultistatusAsync();
        var response = full.Response(Calendar);
        Assert.That(response.Found(D + "displayname")!.Value, Is.EqualTo("calendar"));
        Assert.That(response.Elements(D + "propstat").Single(p => p.Element(D + "status")!.Value.Contains("404")).Descendants(XName.Get("nothing", "urn:x")), Is.Not.Empty);
        var minimal = await (await Alice.SendAsync("PROPFIND", Calendar, body, headers: [("Depth", "0"), ("Prefer", "return=minimal")])).MultistatusAsync();
        Assert.That(minimal.Descendants(D + "status").Select(s => s.Value), Has.None.Contains("404"));
    }

    [Test]
    public async Task Propfind_propname_and_allprop()
    {
        var names = await (await Alice.SendAsync("PROPFIND", Calendar, """<propfind xmlns="DAV:"><propname/></propfind>""", headers: ("Depth", "0"))).MultistatusAsync();
        Assert.That(names.Descendants(D + "prop").Elements().Select(e => e.Name), Does.Contain(CS + "getctag").And.Contain(D + "sync-token"));
        Assert.That(names.Descendants(CS + "getctag").Single().IsEmpty, Is.True);
        var all = await (await Alice.SendAsync("PROPFIND", Calendar, headers: ("Depth", "0"))).MultistatusAsync();
        Assert.That(all.Response(Calendar).Found(D + "resourcetype")!.Elements().Select(e => e.Name), Is.EquivalentTo(new[] { D + "collection", C + "calendar" }));
    }

    [Test]
    public async Task Put_get_and_conditional_requests_use_strong_quoted_etags()
    {
        var path = Calendar + "put-get.ics";
        var ics = Event("put-get@test", "20260310T090000Z", "20260310T100000Z");
        var created = await Alice.PutCalendarAsync(path, ics, ("If-None-Match", "*"));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var etag = created.Headers.ETag!;
        Assert.That(etag.IsWeak, Is.False);
        Assert.That(etag.Tag, Does.StartWith("\"").And.EndWith("\""));

        var again = await Alice.PutCalendarAsync(path, ics, ("If-None-Match", "*"));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed), "If-None-Match: * on an existing resource");
        Assert.That(again.Headers.ETag, Is.EqualTo(etag), "a 412 carries the current ETag");

        var get = await Alice.GetAsync(path);
        Assert.That(await get.Content.ReadAsStringAsync(), Is.EqualTo(ics), "the exact bytes the client stored");
        Assert.That(get.Headers.ETag, Is.EqualTo(etag));
        Assert.That(get.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/calendar"));
        var head = await Alice.SendAsync("HEAD", path);
        Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var edited = ics.Replace("SUMMARY:Meeting", "SUMMARY:Moved", StringComparison.Ordinal);
        Assert.That((await Alice.PutCalendarAsync(path, edited, ("If-Match", "\"stale\""))).StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        var updated = await Alice.PutCalendarAsync(path, edited, ("If-Match", etag.Tag));
        Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(updated.Headers.ETag, Is.Not.EqualTo(etag), "the ETag changes exactly when the content changes");

        Assert.That((await Alice.SendAsync("DELETE", path, headers: ("If-Match", etag.Tag))).StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        Assert.That((await Alice.SendAsync("DELETE", path, headers: ("If-Match", updated.Headers.ETag!.Tag))).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await Alice.GetAsync(path)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Mkcalendar_with_properties_then_proppatch_and_dead_properties()
    {
        const string path = "/dav/calendars/alice@example.org/work/";
        var made = await Alice.SendAsync("MKCALENDAR", path, """
            <C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:I="http://apple.com/ns/ical/">
              <D:set><D:prop><D:displayname>Work</D:displayname><I:calendar-color>#FF0000FF</I:calendar-color>
                <C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set></D:prop></D:set>
            </C:mkcalendar>
            """);
        Assert.That(made.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await Alice.SendAsync("MKCALENDAR", path)).StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed), "already exists");

        var patch = await Alice.SendAsync("PROPPATCH", path, """
            <D:propertyupdate xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:I="http://apple.com/ns/ical/" xmlns:X="urn:example:client">
              <D:set><D:prop><D:displayname>Work (renamed)</D:displayname><C:calendar-description>Office</C:calendar-description>
                <I:calendar-order>3</I:calendar-order><X:sort-key kind="a">7</X:sort-key></D:prop></D:set>
              <D:remove><D:prop><I:calendar-color/></D:prop></D:remove>
            </D:propertyupdate>
            """);
        var patched = await patch.MultistatusAsync();
        Assert.That(patched.Descendants(D + "status").Select(s => s.Value), Is.All.Contains(" 200 "));

        var props = await (await Alice.SendAsync("PROPFIND", path, """
            <D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:I="http://apple.com/ns/ical/" xmlns:X="urn:example:client">
              <D:prop><D:displayname/><C:calendar-description/><I:calendar-order/><I:calendar-color/><X:sort-key/><C:supported-calendar-component-set/></D:prop>
            </D:propfind>
            """, headers: ("Depth", "0"))).MultistatusAsync();
        var response = props.Response(path);
        Assert.That(response.Found(D + "displayname")!.Value, Is.EqualTo("Work (renamed)"));
        Assert.That(response.Found(C + "calendar-description")!.Value, Is.EqualTo("Office"));
        Assert.That(response.Found(ICal + "calendar-color"), Is.Null, "removed");
        Assert.That(response.Found(XName.Get("sort-key", "urn:example:client"))!.Attribute("kind")!.Value, Is.EqualTo("a"), "dead property kept whole");
        Assert.That(response.Found(C + "supported-calendar-component-set")!.Elements().Select(c => c.Attribute("name")!.Value), Is.EqualTo(new[] { "VEVENT" }));

        var todo = await Alice.PutCalendarAsync(path + "t.ics", Todo("todo-in-event-cal@test", "x"));
        Assert.That(todo.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await todo.Content.ReadAsStringAsync(), Does.Contain("supported-calendar-component"));

        var protectedPatch = await (await Alice.SendAsync("PROPPATCH", path, """
            <D:propertyupdate xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:set><D:prop><CS:getctag>1</CS:getctag><D:displayname>x</D:displayname></D:prop></D:set></D:propertyupdate>
            """)).MultistatusAsync();
        Assert.That(protectedPatch.Descendants(D + "status").Select(s => s.Value), Is.EquivalentTo(new[] { "HTTP/1.1 403 Forbidden", "HTTP/1.1 424 Failed Dependency" }));
        var after = await (await Alice.SendAsync("PROPFIND", path, """<D:propfind xmlns:D="DAV:"><D:prop><D:displayname/></D:prop></D:propfind>""", headers: ("Depth", "0"))).MultistatusAsync();
        Assert.That(after.Response(path).Found(D + "displayname")!.Value, Is.EqualTo("Work (renamed)"), "a failed PROPPATCH changes nothing");

        Assert.That((await Alice.SendAsync("DELETE", path)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await Alice.SendAsync("PROPFIND", path, headers: ("Depth", "0"))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Extended_mkcol_makes_address_books_and_task_lists()
    {
        var book = await Alice.SendAsync("MKCOL", "/dav/addressbooks/alice@example.org/friends/", """
            <D:mkcol xmlns:D="DAV:" xmlns:CARD="urn:ietf:params:xml:ns:carddav"><D:set><D:prop>
              <D:resourcetype><D:collection/><CARD:addressbook/></D:resourcetype><D:displayname>Friends</D:displayname>
              <CARD:addressbook-description>People</CARD:addressbook-description></D:prop></D:set></D:mkcol>
            """);
        Assert.That(book.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var tasks = await Alice.SendAsync("MKCOL", "/dav/calendars/alice@example.org/chores/", """
            <D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>
              <D:resourcetype><D:collection/><C:calendar/></D:resourcetype>
              <C:supported-calendar-component-set><C:comp name="VTODO"/></C:supported-calendar-component-set></D:prop></D:set></D:mkcol>
            """);
        Assert.That(tasks.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var plain = await Alice.SendAsync("MKCOL", "/dav/calendars/alice@example.org/plain/");
        Assert.That(plain.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "no plain collections in the tree");
        var wrongHome = await Alice.SendAsync("MKCOL", "/dav/addressbooks/alice@example.org/cal/", """
            <D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:resourcetype><D:collection/><C:calendar/></D:resourcetype></D:prop></D:set></D:mkcol>
            """);
        Assert.That(wrongHome.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var home = await (await Alice.SendAsync("PROPFIND", "/dav/addressbooks/alice@example.org/", """<D:propfind xmlns:D="DAV:"><D:prop><D:displayname/></D:prop></D:propfind>""", headers: ("Depth", "1"))).MultistatusAsync();
        Assert.That(home.Hrefs(), Does.Contain("/dav/addressbooks/alice@example.org/friends/").And.Contain("/dav/addressbooks/alice@example.org/contacts/"));
    }

    [Test]
    public async Task Move_and_copy_between_calendars_of_the_user()
    {
        Assert.That((await Alice.SendAsync("MKCALENDAR", "/dav/calendars/alice@example.org/other/")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var source = Calendar + "move-me.ics";
        Assert.That((await Alice.PutCalendarAsync(source, Event("move-me@test", "20260401T090000Z", "20260401T100000Z"))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var destination = new Uri(Server.BaseUri, "/dav/calendars/alice@example.org/other/move-me.ics").ToString();
        Assert.That((await Alice.SendAsync("COPY", source, headers: ("Destination", destination))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await Alice.SendAsync("MOVE", source, headers: [("Destination", destination), ("Overwrite", "F")])).StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        Assert.That((await Alice.SendAsync("DELETE", "/dav/calendars/alice@example.org/other/move-me.ics")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await Alice.SendAsync("MOVE", source, headers: ("Destination", destination))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await Alice.GetAsync(source)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await Alice.GetAsync(destination)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var toBook = new Uri(Server.BaseUri, "/dav/addressbooks/alice@example.org/contacts/x.ics").ToString();
        Assert.That((await Alice.SendAsync("MOVE", destination, headers: ("Destination", toBook))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Well_known_redirects_to_the_dav_root_without_authentication()
    {
        using var anonymous = Server.Client();
        anonymous.DefaultRequestHeaders.Authorization = null;
        foreach (var path in new[] { "/.well-known/caldav", "/.well-known/carddav" })
        {
            foreach (var method in new[] { "GET", "PROPFIND" })
            {
                var response = await anonymous.SendAsync(method, path);
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MovedPermanently), $"{method} {path}");
                Assert.That(response.Headers.Location!.ToString(), Is.EqualTo("/dav/"));
            }
        }
    }
}
