using System.Net;
using static SyncServer.Server.Tests.Dav.Dav;

namespace SyncServer.Server.Tests.Dav;

/// <summary>
/// vdirsyncer (Debian) two-way sync of a calendar and an address book with local directories: creations, edits and deletions
/// on both sides. The server's test certificate is pinned by its fingerprint.
/// </summary>
[TestFixture]
public sealed class VdirsyncerTests
{
    private const string Calendar = "/dav/calendars/alice@example.org/calendar/";
    private const string Book = "/dav/addressbooks/alice@example.org/contacts/";
    private DavServer _server = null!;
    private HttpClient _alice = null!;
    private string _local = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await DavServer.StartAsync();
        _alice = _server.Client();
        _local = Path.Combine(Path.GetTempPath(), "syncserver-vdir-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_local, "cal"));
        Directory.CreateDirectory(Path.Combine(_local, "book"));
        Directory.CreateDirectory(Path.Combine(_local, "status"));
        var remote = _server.BaseUri.ToString().TrimEnd('/');
        // The server's self-signed certificate is pinned by fingerprint (vdirsyncer cannot switch verification off).
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(_server.DataDirectory, "tls", "cert.pem")));
        var fingerprint = string.Join(":", certificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
        await File.WriteAllTextAsync(Path.Combine(_local, "config"), $"""
            [general]
            status_path = "{_local}/status/"

            [pair cal]
            a = "cal_local"
            b = "cal_remote"
            collections = null
            conflict_resolution = "b wins"

            [storage cal_local]
            type = "filesystem"
            path = "{_local}/cal/"
            fileext = ".ics"

            [storage cal_remote]
            type = "caldav"
            url = "{remote}{Calendar}"
            username = "{DavServer.Alice}"
            password = "{DavServer.Password}"
            verify_fingerprint = "{fingerprint}"

            [pair book]
            a = "book_local"
            b = "book_remote"
            collections = null
            conflict_resolution = "b wins"

            [storage book_local]
            type = "filesystem"
            path = "{_local}/book/"
            fileext = ".vcf"

            [storage book_remote]
            type = "carddav"
            url = "{remote}{Book}"
            username = "{DavServer.Alice}"
            password = "{DavServer.Password}"
            verify_fingerprint = "{fingerprint}"
            """);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _alice.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_local, recursive: true);
    }

    [Test]
    public async Task Two_way_sync_of_a_calendar_and_an_address_book()
    {
        // Creations on both sides.
        Assert.That((await _alice.PutCalendarAsync(Calendar + "server-event.ics", Event("server-event@test", "20260301T100000Z", "20260301T110000Z", "From server"))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await _alice.SendAsync("PUT", Book + "server-card.vcf", Card("server-card@test", "Server Card"), "text/vcard")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await File.WriteAllTextAsync(Path.Combine(_local, "cal", "local-event.ics"), Event("local-event@test", "20260302T100000Z", "20260302T110000Z", "From disk"));
        await File.WriteAllTextAsync(Path.Combine(_local, "book", "local-card.vcf"), Card("local-card@test", "Local Card"));
        await SyncAsync();
        Assert.That(LocalTexts("cal"), Has.Some.Contains("From server"));
        Assert.That(LocalTexts("book"), Has.Some.Contains("Server Card"));
        Assert.That(await RemoteTextsAsync(Calendar, "calendar-multiget", "calendar-data"), Has.Some.Contains("From disk"));
        Assert.That(await RemoteTextsAsync(Book, "addressbook-multiget", "address-data"), Has.Some.Contains("Local Card"));

        // Edits and deletions on both sides.
        var serverFile = Directory.GetFiles(Path.Combine(_local, "cal")).Single(f => File.ReadAllText(f).Contains("From server", StringComparison.Ordinal));
        await File.WriteAllTextAsync(serverFile, File.ReadAllText(serverFile).Replace("From server", "Edited on disk", StringComparison.Ordinal));
        File.Delete(Directory.GetFiles(Path.Combine(_local, "book")).Single(f => File.ReadAllText(f).Contains("Server Card", StringComparison.Ordinal)));
        var localEventHref = (await HrefsAsync(Calendar)).Single(h => !h.EndsWith("server-event.ics", StringComparison.Ordinal));
        Assert.That((await _alice.SendAsync("DELETE", localEventHref)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var localCardHref = (await HrefsAsync(Book)).Single(h => !h.EndsWith("server-card.vcf", StringComparison.Ordinal));
        Assert.That((await _alice.SendAsync("PUT", localCardHref, Card("local-card@test", "Local Card Edited On Server"), "text/vcard")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await SyncAsync();

        Assert.That(await RemoteTextsAsync(Calendar, "calendar-multiget", "calendar-data"), Is.EquivalentTo(LocalTexts("cal")).Using<string>((a, b) => Same(a, b)));
        Assert.That((await RemoteTextsAsync(Calendar, "calendar-multiget", "calendar-data")).Single(), Does.Contain("Edited on disk"));
        Assert.That(LocalTexts("cal"), Has.None.Contains("From disk"), "deleted on the server, gone from disk");
        var cards = await RemoteTextsAsync(Book, "addressbook-multiget", "address-data");
        Assert.That(cards.Single(), Does.Contain("Local Card Edited On Server"), "deleted on disk, gone from the server");
        Assert.That(LocalTexts("book").Single(), Does.Contain("Local Card Edited On Server"));
    }

    private static bool Same(string a, string b) => a.ReplaceLineEndings("\n").Trim() == b.ReplaceLineEndings("\n").Trim();

    private static string Card(string uid, string name)
        => $"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nN:{name};;;;\r\nEND:VCARD\r\n";

    private List<string> LocalTexts(string folder) => Directory.GetFiles(Path.Combine(_local, folder)).Select(File.ReadAllText).ToList();

    private async Task<List<string>> HrefsAsync(string collection)
        => (await (await _alice.SendAsync("PROPFIND", collection, """<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>""", headers: ("Depth", "1"))).MultistatusAsync())
            .Hrefs().Where(h => h != collection).ToList();

    private async Task<List<string>> RemoteTextsAsync(string collection, string report, string data)
    {
        var ns = report.StartsWith("calendar", StringComparison.Ordinal) ? "urn:ietf:params:xml:ns:caldav" : "urn:ietf:params:xml:ns:carddav";
        var hrefs = string.Concat((await HrefsAsync(collection)).Select(h => $"<D:href>{h}</D:href>"));
        var response = await (await _alice.SendAsync("REPORT", collection, $"""<X:{report} xmlns:D="DAV:" xmlns:X="{ns}"><D:prop><X:{data}/></D:prop>{hrefs}</X:{report}>""")).MultistatusAsync();
        return response.Descendants(System.Xml.Linq.XName.Get(data, ns)).Select(e => e.Value).ToList();
    }

    private async Task SyncAsync()
    {
        var config = Path.Combine(_local, "config");
        var environment = new Dictionary<string, string> { ["VDIRSYNCER_CONFIG"] = config };
        var (discoverExit, discover) = await RealClientTests.RunAsync("/usr/bin/vdirsyncer", ["discover"], environment);
        Assert.That(discoverExit, Is.Zero, discover);
        var (exit, output) = await RealClientTests.RunAsync("/usr/bin/vdirsyncer", ["sync"], environment);
        TestContext.Out.WriteLine(output);
        Assert.That(exit, Is.Zero, output);
    }
}
