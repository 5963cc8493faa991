using System.Net;
using static SyncServer.Server.Tests.Dav.Dav;

namespace SyncServer.Server.Tests.Dav;

/// <summary>
/// The discovery sequences of real clients (client-requirements B.1: DAV-DISC-01..04, DAV-C-01..03, DAV-Q-08/09/11/12), each
/// request as the client sends it and each answer compared with a golden file.
/// </summary>
[TestFixture]
public sealed class DavDiscoveryTests : DavFixture
{
    private const string Principal = "/dav/principals/alice@example.org/";

    [Test]
    public async Task Thunderbird_finds_calendars_from_the_bare_host()
    {
        var wellKnown = await Alice.SendAsync("PROPFIND", "/.well-known/caldav", headers: ("Depth", "0"));
        Assert.That(wellKnown.StatusCode, Is.EqualTo(HttpStatusCode.MovedPermanently));
        var root = await PropFindAsync(wellKnown.Headers.Location!.ToString(), "0", """
            <D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/><D:owner/><D:current-user-principal/><D:supported-report-set/></D:prop></D:propfind>
            """);
        Golden.AssertMatches("thunderbird-1-root", root);
        var principal = await PropFindAsync(Principal, "0", """
            <D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:resourcetype/><D:owner/><D:current-user-principal/>
              <C:calendar-home-set/><C:calendar-user-address-set/><C:schedule-inbox-URL/><C:schedule-outbox-URL/></D:prop></D:propfind>
            """);
        Golden.AssertMatches("thunderbird-2-principal", principal);
        var home = await PropFindAsync("/dav/calendars/alice@example.org/", "1", """
            <D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/" xmlns:I="http://apple.com/ns/ical/">
              <D:prop><D:resourcetype/><D:displayname/><D:current-user-privilege-set/><I:calendar-color/>
                <C:supported-calendar-component-set/><CS:getctag/><D:sync-token/></D:prop></D:propfind>
            """);
        Golden.AssertMatches("thunderbird-3-calendar-home", home);
    }

    [Test]
    public async Task Apple_asks_the_principal_for_extension_properties_and_gets_404_for_those_it_lacks()
    {
        var principal = await PropFindAsync(Principal, "0", """
            <A:propfind xmlns:A="DAV:" xmlns:B="urn:ietf:params:xml:ns:caldav" xmlns:C="http://calendarserver.org/ns/">
              <A:prop><A:current-user-principal/><A:displayname/><A:principal-URL/><A:principal-collection-set/><A:supported-report-set/>
                <B:calendar-home-set/><B:calendar-user-address-set/><B:schedule-inbox-URL/><B:schedule-outbox-URL/>
                <C:dropbox-home-URL/><C:email-address-set/><C:notification-URL/><C:calendar-proxy-read-for/><C:calendar-proxy-write-for/>
              </A:prop></A:propfind>
            """, ("Brief", "t"), ("Prefer", "return-minimal"));
        Golden.AssertMatches("apple-1-principal-minimal", principal);
        var collections = await PropFindAsync("/dav/principals/", "1", """
            <A:propfind xmlns:A="DAV:"><A:prop><A:resourcetype/><A:displayname/></A:prop></A:propfind>
            """);
        Golden.AssertMatches("apple-2-principal-collection", collections);
        var home = await PropFindAsync("/dav/calendars/alice@example.org/", "1", """
            <A:propfind xmlns:A="DAV:" xmlns:B="urn:ietf:params:xml:ns:caldav" xmlns:C="http://calendarserver.org/ns/" xmlns:D="http://apple.com/ns/ical/">
              <A:prop><A:add-member/><A:current-user-privilege-set/><A:displayname/><A:quota-available-bytes/><A:quota-used-bytes/><A:resourcetype/>
                <A:sync-token/><B:calendar-description/><B:calendar-timezone/><B:supported-calendar-component-set/><C:getctag/>
                <D:calendar-color/><D:calendar-order/></A:prop></A:propfind>
            """, ("Prefer", "return=minimal"));
        Golden.AssertMatches("apple-3-calendar-home-minimal", home);
    }

    [Test]
    public async Task Davx5_finds_both_homes_and_lists_address_books()
    {
        var root = await PropFindAsync("/dav/", "0", """<propfind xmlns="DAV:"><prop><current-user-principal/></prop></propfind>""");
        Golden.AssertMatches("davx5-1-root", root);
        var principal = await PropFindAsync(Principal, "0", """
            <propfind xmlns="DAV:" xmlns:CAL="urn:ietf:params:xml:ns:caldav" xmlns:CARD="urn:ietf:params:xml:ns:carddav">
              <prop><CAL:calendar-home-set/><CARD:addressbook-home-set/><displayname/><CAL:calendar-user-address-set/></prop></propfind>
            """);
        Golden.AssertMatches("davx5-2-principal", principal);
        var books = await PropFindAsync("/dav/addressbooks/alice@example.org/", "1", """
            <propfind xmlns="DAV:" xmlns:CARD="urn:ietf:params:xml:ns:carddav"><prop><resourcetype/><displayname/><owner/>
              <current-user-privilege-set/><CARD:addressbook-description/><CARD:supported-address-data/><supported-report-set/><sync-token/></prop></propfind>
            """);
        Golden.AssertMatches("davx5-3-addressbook-home", books);
    }

    private async Task<string> PropFindAsync(string path, string depth, string body, params (string, string)[] headers)
    {
        var response = await Alice.SendAsync("PROPFIND", path, body, headers: [("Depth", depth), .. headers]);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(207), text);
        return text;
    }
}
