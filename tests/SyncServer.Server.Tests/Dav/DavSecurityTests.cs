using System.Net;
using System.Text;
using static SyncServer.Server.Tests.Dav.Dav;

namespace SyncServer.Server.Tests.Dav;

/// <summary>
/// Isolation and hostile input: another user's resources answer exactly like absent ones; DTDs, external entities, deep or huge
/// XML are refused; nothing changes in the store and the server keeps serving.
/// </summary>
[TestFixture]
public sealed class DavSecurityTests : DavFixture
{
    private const string BobCalendar = "/dav/calendars/bob@example.org/calendar/";
    private HttpClient _bob = null!;

    [OneTimeSetUp]
    public async Task BobsCalendarAsync()
    {
        _bob = Server.Client(DavServer.Bob);
        Assert.That((await _bob.PutCalendarAsync(BobCalendar + "private.ics", Event("bob-private@test", "20260301T100000Z", "20260301T110000Z", "Secret"))).StatusCode,
            Is.EqualTo(HttpStatusCode.Created));
    }

    [OneTimeTearDown]
    public void DisposeBob() => _bob.Dispose();

    [TestCase("PROPFIND", "/dav/principals/bob@example.org/")]
    [TestCase("PROPFIND", "/dav/calendars/bob@example.org/")]
    [TestCase("PROPFIND", BobCalendar)]
    [TestCase("GET", BobCalendar + "private.ics")]
    [TestCase("DELETE", BobCalendar + "private.ics")]
    [TestCase("PUT", BobCalendar + "private.ics")]
    [TestCase("PROPPATCH", BobCalendar)]
    [TestCase("MKCALENDAR", "/dav/calendars/bob@example.org/mine/")]
    [TestCase("REPORT", BobCalendar)]
    public async Task Another_users_resources_look_exactly_like_absent_ones(string method, string path)
    {
        var body = method switch
        {
            "PUT" => Event("alice-intrudes@test", "20260301T100000Z", "20260301T110000Z"),
            "PROPPATCH" => """<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>pwned</D:displayname></D:prop></D:set></D:propertyupdate>""",
            "REPORT" => """<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:prop><D:getetag/></D:prop></D:sync-collection>""",
            _ => null,
        };
        var existing = await Alice.SendAsync(method, path, body, method == "PUT" ? "text/calendar" : "application/xml");
        var absent = await Alice.SendAsync(method, path.Replace("bob@", "nobody@", StringComparison.Ordinal), body, method == "PUT" ? "text/calendar" : "application/xml");
        Assert.That((int)existing.StatusCode, Is.AnyOf(403, 404, 409));
        Assert.That(existing.StatusCode, Is.EqualTo(absent.StatusCode), "no difference between bob and a user who does not exist");
        Assert.That(await existing.Content.ReadAsStringAsync(), Is.EqualTo(await absent.Content.ReadAsStringAsync()));
        await AssertBobUnchangedAsync();
    }

    [Test]
    public async Task A_multiget_cannot_reach_into_another_users_calendar()
    {
        var response = await (await Alice.SendAsync("REPORT", "/dav/calendars/alice@example.org/calendar/", $"""
            <C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data/></D:prop><D:href>{BobCalendar}private.ics</D:href></C:calendar-multiget>
            """)).MultistatusAsync();
        Assert.That(response.ToString(), Does.Not.Contain("Secret"));
        Assert.That(response.Descendants(D + "status").Single().Value, Does.Contain("404"));
    }

    [TestCase("""<?xml version="1.0"?><!DOCTYPE d:propfind [<!ENTITY x SYSTEM "file:///etc/passwd">]><d:propfind xmlns:d="DAV:"><d:prop><d:displayname>&x;</d:displayname></d:prop></d:propfind>""", TestName = "External entity")]
    [TestCase("""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><d:propfind xmlns:d="DAV:"><d:prop><d:displayname>&lol2;</d:displayname></d:prop></d:propfind>""", TestName = "Entity expansion")]
    [TestCase("""<d:propfind xmlns:d="DAV:"><d:prop><d:displayname></d:propfind>""", TestName = "Malformed XML")]
    public async Task Xml_with_a_dtd_or_malformed_is_refused_with_400(string body)
    {
        foreach (var method in new[] { "PROPFIND", "PROPPATCH", "REPORT", "MKCALENDAR" })
        {
            var response = await Alice.SendAsync(method, "/dav/calendars/alice@example.org/calendar/", body);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), method);
        }
    }

    [Test]
    public async Task Deep_xml_is_refused()
    {
        var deep = "<d:propfind xmlns:d=\"DAV:\"><d:prop>" + string.Concat(Enumerable.Repeat("<x:a xmlns:x=\"urn:x\">", 5000)) +
                   string.Concat(Enumerable.Repeat("</x:a>", 5000)) + "</d:prop></d:propfind>";
        Assert.That((await Alice.SendAsync("PROPFIND", "/dav/", deep)).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Absurd_bodies_get_413_and_the_server_keeps_serving()
    {
        var props = new StringBuilder("<d:propfind xmlns:d=\"DAV:\"><d:prop>");
        while (props.Length < 2 * 1024 * 1024)
            props.Append("<d:displayname/>");
        props.Append("</d:prop></d:propfind>");
        Assert.That((await Alice.SendAsync("PROPFIND", "/dav/", props.ToString())).StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        var patch = "<d:propertyupdate xmlns:d=\"DAV:\"><d:set><d:prop><d:displayname>" + new string('x', 2 * 1024 * 1024) + "</d:displayname></d:prop></d:set></d:propertyupdate>";
        Assert.That((await Alice.SendAsync("PROPPATCH", "/dav/calendars/alice@example.org/calendar/", patch)).StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        var still = await (await Alice.SendAsync("PROPFIND", "/dav/calendars/alice@example.org/calendar/", """<d:propfind xmlns:d="DAV:"><d:prop><d:displayname/></d:prop></d:propfind>""", headers: ("Depth", "0"))).MultistatusAsync();
        Assert.That(still.Descendants(D + "displayname").Single().Value, Is.EqualTo("calendar"), "nothing changed");
    }

    private async Task AssertBobUnchangedAsync()
    {
        var get = await _bob.GetAsync(BobCalendar + "private.ics");
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await get.Content.ReadAsStringAsync(), Does.Contain("Secret"));
        var names = await (await _bob.SendAsync("PROPFIND", "/dav/calendars/bob@example.org/", """<d:propfind xmlns:d="DAV:"><d:prop><d:displayname/></d:prop></d:propfind>""", headers: ("Depth", "1"))).MultistatusAsync();
        Assert.That(names.Descendants(D + "displayname").Select(d => d.Value), Does.Not.Contain("pwned").And.Not.Contain("mine"));
        Assert.That(names.Hrefs(), Does.Not.Contain("/dav/calendars/bob@example.org/mine/"));
    }
}
