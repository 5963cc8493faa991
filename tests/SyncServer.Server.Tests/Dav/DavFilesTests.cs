using System.Net;
using System.Net.Http.Headers;
using System.Xml.Linq;
using static SyncServer.Server.Tests.Dav.Dav;

namespace SyncServer.Server.Tests.Dav;

/// <summary>
/// Plain WebDAV (RFC 4918) in the files tree <c>/dav/files/{user}/</c>: collections, resources of any type, COPY/MOVE with
/// Depth, Overwrite and Destination checks, dead properties. litmus runs against the same tree in <c>RealClientTests</c>.
/// </summary>
[TestFixture]
public sealed class DavFilesTests : DavFixture
{
    private const string Home = "/dav/files/alice@example.org/";
    private static readonly XNamespace X = "urn:example:x";

    [Test]
    public async Task Plain_collections_hold_resources_of_any_type_and_delete_recursively()
    {
        Assert.That((await Alice.SendAsync("MKCOL", Home + "docs/")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await Alice.SendAsync("MKCOL", Home + "docs/")).StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed), "exists");
        Assert.That((await Alice.SendAsync("MKCOL", Home + "docs/deep/")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF];
        var put = await PutAsync(Home + "docs/deep/logo.png", png, "image/png");
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.Created));

        var get = await Alice.GetAsync(Home + "docs/deep/logo.png");
        Assert.That(await get.Content.ReadAsByteArrayAsync(), Is.EqualTo(png), "the exact bytes");
        Assert.That(get.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/png"));
        Assert.That(get.Headers.ETag, Is.EqualTo(put.Headers.ETag));

        var listing = await (await Alice.SendAsync("PROPFIND", Home + "docs/deep/", headers: ("Depth", "1"))).MultistatusAsync();
        Assert.That(listing.Hrefs(), Is.EqualTo(new[] { Home + "docs/deep/", Home + "docs/deep/logo.png" }));
        Assert.That(listing.Response(Home + "docs/deep/").Found(D + "resourcetype")!.Elements().Select(e => e.Name), Is.EqualTo(new[] { D + "collection" }));
        var logo = listing.Response(Home + "docs/deep/logo.png");
        Assert.That((logo.Found(D + "getcontenttype")!.Value, logo.Found(D + "getcontentlength")!.Value), Is.EqualTo(("image/png", "10")));
        Assert.That(logo.Found(D + "resourcetype")!.HasElements, Is.False);

        Assert.That((await Alice.SendAsync("MKCOL", Home + "docs/deep/logo.png")).StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed), "a resource has that name");
        Assert.That((await PutAsync(Home + "docs/deep/", [1], "text/plain")).StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed), "a collection has that name");
        Assert.That((await PutAsync(Home + "missing/a.txt", [1], "text/plain")).StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await Alice.SendAsync("MKCOL", Home + "missing/sub/")).StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await Alice.SendAsync("MKCOL", Home + "body/", "not xml", "application/x-unknown")).StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        const string calendar = """<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:resourcetype><D:collection/><C:calendar/></D:resourcetype></D:prop></D:set></D:mkcol>""";
        Assert.That((await Alice.SendAsync("MKCOL", Home + "cal/", calendar)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "calendars live in the calendar home");

        Assert.That((await Alice.SendAsync("DELETE", Home)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "the files home stays");
        Assert.That((await Alice.SendAsync("DELETE", Home + "docs/")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await Alice.GetAsync(Home + "docs/deep/logo.png")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await Alice.SendAsync("PROPFIND", Home + "docs/", headers: ("Depth", "0"))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Copy_and_move_follow_depth_overwrite_and_destination()
    {
        Assert.That((await Alice.SendAsync("MKCOL", Home + "src/")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await PutAsync(Home + "src/a.txt", "alpha"u8.ToArray(), "text/plain");
        await PutAsync(Home + "other.txt", "other"u8.ToArray(), "text/plain");

        Assert.That((await CopyAsync("COPY", "src/", "shallow/", ("Depth", "0"))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await Alice.GetAsync(Home + "shallow/a.txt")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "Depth 0 copies the collection only");
        Assert.That((await CopyAsync("COPY", "src/", "bad/", ("Depth", "1"))).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await CopyAsync("COPY", "src/", "deep/")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await Alice.GetStringAsync(Home + "deep/a.txt"), Is.EqualTo("alpha"));

        Assert.That((await CopyAsync("COPY", "other.txt", "deep/a.txt", ("Overwrite", "F"))).StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        Assert.That((await CopyAsync("COPY", "other.txt", "deep/a.txt")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await Alice.GetStringAsync(Home + "deep/a.txt"), Is.EqualTo("other"));
        Assert.That((await CopyAsync("COPY", "other.txt", "nowhere/x.txt")).StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await CopyAsync("COPY", "src/", "src/inside/")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "into itself");
        Assert.That((await CopyAsync("MOVE", "other.txt", "other.txt")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "onto itself");
        using (var request = new HttpRequestMessage(new HttpMethod("COPY"), Home + "other.txt"))
        {
            request.Headers.TryAddWithoutValidation("Destination", "https://elsewhere.example:443" + Home + "x.txt");
            Assert.That((await Alice.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        }

        Assert.That((await CopyAsync("MOVE", "src/", "deep/")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "a collection replaces a collection");
        Assert.That(await Alice.GetStringAsync(Home + "deep/a.txt"), Is.EqualTo("alpha"));
        Assert.That((await Alice.GetAsync(Home + "src/a.txt")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await CopyAsync("MOVE", "other.txt", "deep/")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "a resource replaces a collection");
        Assert.That(await Alice.GetStringAsync(Home + "deep"), Is.EqualTo("other"));
        Assert.That((await CopyAsync("COPY", "deep", "/dav/calendars/alice@example.org/calendar/x.ics", absolute: true)).StatusCode,
            Is.EqualTo(HttpStatusCode.Forbidden), "a plain resource does not go into a calendar");
    }

    [Test]
    public async Task Dead_properties_keep_namespaces_language_and_xml_values_and_follow_copy_and_move()
    {
        await PutAsync(Home + "props.txt", "p"u8.ToArray(), "text/plain");
        const string patch = """
            <D:propertyupdate xmlns:D="DAV:" xmlns:x="urn:example:x"><D:set><D:prop xml:lang="fr">
              <x:title>Bonjour</x:title><x:rich><b xmlns="urn:example:y">gras</b></x:rich><bare xmlns="">v</bare>
            </D:prop></D:set></D:propertyupdate>
            """;
        var patched = await (await Alice.SendAsync("PROPPATCH", Home + "props.txt", patch)).MultistatusAsync();
        Assert.That(patched.Descendants(D + "status").Select(s => s.Value), Is.EqualTo(new[] { "HTTP/1.1 200 OK" }));
        Assert.That((await CopyAsync("COPY", "props.txt", "copied.txt")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await CopyAsync("MOVE", "copied.txt", "moved.txt")).StatusCode, Is.EqualTo(HttpStatusCode.Created));

        const string find = """<D:propfind xmlns:D="DAV:" xmlns:x="urn:example:x"><D:prop><x:title/><x:rich/><bare xmlns=""/><x:none/></D:prop></D:propfind>""";
        var found = (await (await Alice.SendAsync("PROPFIND", Home + "moved.txt", find, headers: ("Depth", "0"))).MultistatusAsync()).Response(Home + "moved.txt");
        var title = found.Found(X + "title")!;
        Assert.That((title.Value, title.Attribute(XNamespace.Xml + "lang")?.Value), Is.EqualTo(("Bonjour", "fr")), "xml:lang in scope is kept");
        Assert.That(found.Found(X + "rich")!.Element(XName.Get("b", "urn:example:y"))!.Value, Is.EqualTo("gras"), "XML content with its own namespace");
        Assert.That(found.Found("bare")!.Value, Is.EqualTo("v"), "a property in no namespace");
        Assert.That(found.Elements(D + "propstat").Single(p => p.Element(D + "status")!.Value.Contains("404")).Descendants(X + "none"), Is.Not.Empty);

        const string remove = """<D:propertyupdate xmlns:D="DAV:" xmlns:x="urn:example:x"><D:remove><D:prop><x:title/></D:prop></D:remove><D:set><D:prop><D:getcontenttype>x/y</D:getcontenttype></D:prop></D:set></D:propertyupdate>""";
        var refused = await (await Alice.SendAsync("PROPPATCH", Home + "moved.txt", remove)).MultistatusAsync();
        Assert.That(refused.Descendants(D + "status").Select(s => s.Value), Is.EquivalentTo(new[] { "HTTP/1.1 403 Forbidden", "HTTP/1.1 424 Failed Dependency" }),
            "getcontenttype is protected; the whole PROPPATCH fails");
        var after = (await (await Alice.SendAsync("PROPFIND", Home + "moved.txt", find, headers: ("Depth", "0"))).MultistatusAsync()).Response(Home + "moved.txt");
        Assert.That(after.Found(X + "title"), Is.Not.Null, "nothing was removed");
        Assert.That((await Alice.GetAsync(Home + "moved.txt")).Content.Headers.ContentType!.MediaType, Is.EqualTo("text/plain"));
    }

    [Test]
    public async Task Files_are_the_users_own_with_every_privilege_and_may_have_a_tilde_in_their_names()
    {
        Assert.That((await Alice.SendAsync("MKCOL", Home + "notes~2026/")).StatusCode, Is.EqualTo(HttpStatusCode.Created), "~ names shares in homes only");
        await PutAsync(Home + "notes~2026/a.txt", "a"u8.ToArray(), "text/plain");
        var listing = await (await Alice.SendAsync("PROPFIND", Home + "notes~2026/",
            """<D:propfind xmlns:D="DAV:"><D:prop><D:owner/><D:current-user-privilege-set/><D:displayname/></D:prop></D:propfind>""",
            headers: ("Depth", "1"))).MultistatusAsync();
        foreach (var href in new[] { Home + "notes~2026/", Home + "notes~2026/a.txt" })
        {
            var response = listing.Response(href);
            Assert.That(response.Found(D + "owner")!.Value, Is.EqualTo("/dav/principals/alice@example.org/"), href);
            Assert.That(response.Found(D + "current-user-privilege-set")!.Descendants().Select(e => e.Name),
                Does.Contain(D + "write").And.Contain(D + "bind").And.Contain(D + "unbind"), href);
            Assert.That(response.Found(D + "displayname"), Is.Null, "a plain collection's displayname is dead: none until set");
        }
    }

    [Test]
    public async Task Another_users_files_are_absent_and_the_calendar_home_does_not_list_files()
    {
        await PutAsync(Home + "private.txt", "secret"u8.ToArray(), "text/plain");
        using var bob = Server.Client(DavServer.Bob);
        Assert.That((await bob.GetAsync(Home + "private.txt")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await bob.SendAsync("PROPFIND", Home, headers: ("Depth", "1"))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await bob.PutAsync("/dav/files/bob@example.org/mine.txt", new StringContent("bob's"))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        using (var request = new HttpRequestMessage(new HttpMethod("COPY"), "/dav/files/bob@example.org/mine.txt"))
        {
            request.Headers.TryAddWithoutValidation("Destination", Home + "private.txt");
            Assert.That((await bob.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "alice's tree is absent for bob");
        }
        Assert.That(await Alice.GetStringAsync(Home + "private.txt"), Is.EqualTo("secret"));

        var calendars = await (await Alice.SendAsync("PROPFIND", "/dav/calendars/alice@example.org/", headers: ("Depth", "1"))).MultistatusAsync();
        Assert.That(calendars.Hrefs(), Has.None.Contains("files"));
    }

    private async Task<HttpResponseMessage> PutAsync(string path, byte[] body, string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await Alice.SendAsync(request);
    }

    private async Task<HttpResponseMessage> CopyAsync(string method, string from, string to, params (string Name, string Value)[] headers)
        => await CopyAsync(method, from, to, absolute: false, headers);

    private async Task<HttpResponseMessage> CopyAsync(string method, string from, string to, bool absolute, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), Home + from);
        request.Headers.TryAddWithoutValidation("Destination", new Uri(Server.BaseUri, absolute ? to : Home + to).ToString());
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        return await Alice.SendAsync(request);
    }
}
