using System.Net;
using System.Xml.Linq;
using SyncServer.Server.Tests.Cli;
using static SyncServer.Server.Tests.Dav.Dav;

namespace SyncServer.Server.Tests.Dav;

/// <summary>
/// The directory address book (issue 5 §8): every user's address book home holds <c>directory/</c>, a read-only CardDAV address
/// book of the domain's accounts and lists generated from Core's global address list; it answers queries, multiget and
/// sync-collection (its token changes when the directory does) and refuses every write.
/// </summary>
[TestFixture]
public sealed class DavDirectoryTests : DavFixture
{
    private const string Directory = "/dav/addressbooks/alice@example.org/directory/";

    [Test]
    public async Task The_directory_is_in_the_home_and_lists_the_domains_accounts_as_vcards()
    {
        var home = await PropFindAsync("/dav/addressbooks/alice@example.org/", "1", "<D:resourcetype/><D:displayname/>");
        Assert.That(home.Hrefs(), Does.Contain(Directory));
        var listing = await Alice.SendAsync("PROPFIND", Directory, Body("""
            <D:resourcetype/><D:displayname/><D:owner/><D:current-user-privilege-set/><D:supported-report-set/><D:sync-token/><CS:getctag/>
            <D:getetag/><D:getcontenttype/><C:address-data/><C:addressbook-description/>
            """), headers: ("Depth", "1"));
        var text = await listing.Content.ReadAsStringAsync();
        Assert.That((int)listing.StatusCode, Is.EqualTo(207), text);
        Golden.AssertMatches("directory-1-listing", text);

        var parsed = XDocument.Parse(text);
        var aliceHref = parsed.Hrefs().Single(h => h != Directory && parsed.Response(h).Found(Card + "address-data")!.Value.Contains("EMAIL;TYPE=INTERNET:alice@example.org", StringComparison.Ordinal));
        var get = await Alice.SendAsync("GET", aliceHref);
        Assert.That(get.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/vcard"));
        Assert.That(get.Headers.ETag!.Tag, Is.EqualTo(parsed.Response(aliceHref).Found(D + "getetag")!.Value));
        Assert.That(await get.Content.ReadAsStringAsync(), Does.StartWith("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:urn:uuid:"));

        using var bob = Server.Client(DavServer.Bob);
        var bobsView = await bob.SendAsync("GET", aliceHref.Replace("alice@example.org/directory", "bob@example.org/directory", StringComparison.Ordinal));
        Assert.That(await bobsView.Content.ReadAsStringAsync(), Is.EqualTo(await get.Content.ReadAsStringAsync()), "every user of the domain sees the same card");
    }

    [Test]
    public async Task Addressbook_query_and_multiget_read_the_generated_cards_in_either_version()
    {
        var query = await (await Alice.SendAsync("REPORT", Directory, """
            <C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
              <D:prop><D:getetag/><C:address-data content-type="text/vcard" version="4.0"/></D:prop>
              <C:filter><C:prop-filter name="EMAIL"><C:text-match match-type="starts-with">bob@</C:text-match></C:prop-filter></C:filter>
            </C:addressbook-query>
            """, headers: ("Depth", "1"))).MultistatusAsync();
        var bob = query.Root!.Elements(D + "response").Single();
        var card = bob.Found(Card + "address-data")!.Value;
        Assert.That(card, Does.Contain("VERSION:4.0").And.Match("FN:bob\\r?\\n").And.Contain("EMAIL"));

        var href = bob.Element(D + "href")!.Value;
        var multiget = await (await Alice.SendAsync("REPORT", Directory, $"""
            <C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><C:address-data/></D:prop>
              <D:href>{href}</D:href><D:href>{Directory}nobody.vcf</D:href><D:href>/dav/addressbooks/alice@example.org/contacts/x.vcf</D:href>
            </C:addressbook-multiget>
            """)).MultistatusAsync();
        Assert.That(multiget.Response(href).Found(Card + "address-data")!.Value, Does.Contain("VERSION:3.0"));
        Assert.That(multiget.Response(Directory + "nobody.vcf").Element(D + "status")!.Value, Does.Contain("404"));
    }

    [Test]
    public async Task Its_sync_token_changes_when_an_account_or_a_list_is_added_or_removed()
    {
        var initial = await SyncAsync("");
        var token = initial.Root!.Element(D + "sync-token")!.Value;
        Assert.That(initial.Hrefs(), Has.Count.EqualTo(2), "alice and bob");
        Assert.That((await SyncAsync(token)).Hrefs(), Is.Empty, "nothing changed");
        Assert.That(await CTagAsync(), Is.EqualTo(token[(token.LastIndexOf(':') + 1)..]));

        await CliAsync("correct horse battery\n", "user", "add", "carol@example.org", "--password-stdin", "--name", "Carol Jones");
        var stale = await Alice.SendAsync("REPORT", Directory, SyncBody(token));
        Assert.That(stale.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "an old token: read the listing again");
        Assert.That(XDocument.Parse(await stale.Content.ReadAsStringAsync()).Root!.Elements().Single().Name, Is.EqualTo(D + "valid-sync-token"));
        var withCarol = await SyncAsync("");
        Assert.That(withCarol.Hrefs(), Has.Count.EqualTo(3));
        Assert.That(withCarol.ToString(), Does.Contain("FN:Carol Jones").And.Contain("N:Jones;Carol;;;"));
        Assert.That((await Alice.SendAsync("REPORT", Directory, SyncBody("", limit: 2))).StatusCode, Is.EqualTo(HttpStatusCode.InsufficientStorage));

        await CliAsync(null, "list", "add", "team@example.org", "--policy", "members", "--member", DavServer.Alice);
        var withList = await SyncAsync("");
        Assert.That(withList.ToString(), Does.Contain("EMAIL;TYPE=INTERNET:team@example.org"));

        await CliAsync(null, "list", "remove", "team@example.org");
        await CliAsync(null, "user", "remove", "carol@example.org");
        var back = await SyncAsync("");
        Assert.That(back.Hrefs(), Is.EquivalentTo(initial.Hrefs()));
        Assert.That(back.Root!.Element(D + "sync-token")!.Value, Is.EqualTo(token), "the same directory, the same token");
    }

    [Test]
    public async Task Every_write_is_refused_and_the_name_is_reserved()
    {
        var entry = (await SyncAsync("")).Hrefs()[0];
        const string card = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x@test\r\nFN:X\r\nN:X;;;;\r\nEND:VCARD\r\n";
        await (await Alice.SendAsync("PUT", Directory + "new.vcf", card, "text/vcard")).AssertNeedsPrivilegeAsync(Directory, "bind");
        await (await Alice.SendAsync("PUT", entry, card, "text/vcard")).AssertNeedsPrivilegeAsync(entry, "write-content");
        await (await Alice.SendAsync("DELETE", entry)).AssertNeedsPrivilegeAsync(Directory, "unbind");
        Assert.That((await Alice.SendAsync("DELETE", Directory)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await Alice.SendAsync("MOVE", entry, headers: ("Destination", "/dav/addressbooks/alice@example.org/contacts/x.vcf"))).StatusCode,
            Is.EqualTo(HttpStatusCode.Forbidden));
        var patch = await (await Alice.SendAsync("PROPPATCH", Directory, """
            <D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>Mine</D:displayname></D:prop></D:set></D:propertyupdate>
            """)).MultistatusAsync();
        Assert.That(patch.Descendants(D + "status").Single().Value, Is.EqualTo("HTTP/1.1 403 Forbidden"));
        var mkcol = """
            <D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype><D:collection/><C:addressbook/></D:resourcetype></D:prop></D:set></D:mkcol>
            """;
        Assert.That((await Alice.SendAsync("MKCOL", Directory, mkcol)).StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed), "directory/ exists");
        Assert.That((await Alice.SendAsync("MKCOL", "/dav/addressbooks/alice@example.org/people~bob@example.org/", mkcol)).StatusCode,
            Is.EqualTo(HttpStatusCode.Forbidden), "~ is reserved for shares");
        Assert.That((await SyncAsync("")).Hrefs(), Has.Count.EqualTo(2));
    }

    private async Task CliAsync(string? stdin, params string[] args)
    {
        var result = await ServerProcess.RunAsync(Server.DataDirectory, stdin, args);
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
    }

    private static string Body(string props)
        => $"""<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav" xmlns:CS="http://calendarserver.org/ns/"><D:prop>{props}</D:prop></D:propfind>""";

    private async Task<XDocument> PropFindAsync(string path, string depth, string props)
        => await (await Alice.SendAsync("PROPFIND", path, Body(props), headers: ("Depth", depth))).MultistatusAsync();

    private async Task<string> CTagAsync()
        => (await PropFindAsync(Directory, "0", "<CS:getctag/>")).Response(Directory).Found(CS + "getctag")!.Value;

    private async Task<XDocument> SyncAsync(string token)
        => await (await Alice.SendAsync("REPORT", Directory, SyncBody(token))).MultistatusAsync();

    private static string SyncBody(string token, int? limit = null)
        => $"""
            <D:sync-collection xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level>
              {(limit is { } n ? $"<D:limit><D:nresults>{n}</D:nresults></D:limit>" : "")}<D:prop><D:getetag/><C:address-data/></D:prop></D:sync-collection>
            """;
}
