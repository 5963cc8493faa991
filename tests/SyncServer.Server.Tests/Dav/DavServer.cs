using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using SyncServer.Server.Tests.Cli;

namespace SyncServer.Server.Tests.Dav;

/// <summary>
/// The real server as a child process with only its HTTPS listener on a free port, and two users made with the CLI
/// (<see cref="Alice"/>, <see cref="Bob"/>, both with <see cref="Password"/>). One per test fixture.
/// </summary>
public sealed class DavServer : IAsyncDisposable
{
    public const string Alice = "alice@example.org";
    public const string Bob = "bob@example.org";
    public const string Password = "correct horse battery";

    private readonly ServerProcess _process;

    private DavServer(string data, ServerProcess process, int port, int? mxPort)
    {
        DataDirectory = data;
        _process = process;
        Port = port;
        MxPort = mxPort;
    }

    public string DataDirectory { get; }

    public int Port { get; }

    /// <summary>The SMTP (MX) listener's port when started with one, for mail from outside (an iMIP reply).</summary>
    public int? MxPort { get; }

    public Uri BaseUri => new($"https://127.0.0.1:{Port}/");

    public string Stderr => _process.Stderr;

    /// <summary>Starts the server; <paramref name="settings"/> are extra <c>SYNCSERVER__…</c> settings, <paramref name="withMx"/> adds the SMTP listener.</summary>
    public static async Task<DavServer> StartAsync(IReadOnlyDictionary<string, string>? settings = null, bool withMx = false)
    {
        var data = Path.Combine(Path.GetTempPath(), "syncserver-dav-" + Guid.NewGuid().ToString("N"));
        Assert.That((await ServerProcess.RunAsync(data, null, "domain", "add", "example.org")).ExitCode, Is.Zero);
        foreach (var user in new[] { Alice, Bob })
        {
            var made = await ServerProcess.RunAsync(data, Password + "\n", "user", "add", user, "--password-stdin");
            Assert.That(made.ExitCode, Is.Zero, made.Stderr);
        }
        var (process, ports) = await ServerProcess.StartServeAsync(data, withMx ? 2 : 1, p =>
        {
            var environment = withMx ? ServerProcess.EnvironmentListeningOn(("HTTPS", p[0]), ("SMTP", p[1])) : ServerProcess.EnvironmentListeningOn(("HTTPS", p[0]));
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
                environment[key] = value;
            return environment;
        });
        return new DavServer(data, process, ports[0], withMx ? ports[1] : null);
    }

    /// <summary>An HttpClient for <paramref name="user"/> (Basic auth; the self-signed certificate accepted for the test only).</summary>
    public HttpClient Client(string user = Alice, string password = Password)
    {
        var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true, AllowAutoRedirect = false };
        var client = new HttpClient(handler) { BaseAddress = BaseUri, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }

    /// <summary>Waits (up to a minute) for something the server does in the background, such as the outbound queue sending.</summary>
    public async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (await condition())
                return;
            await Task.Delay(100);
        }
        Assert.Fail("not reached in 60 s; server said: " + Stderr);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            await _process.StopAsync(TimeSpan.FromSeconds(15));
        _process.Dispose();
        if (Directory.Exists(DataDirectory))
            Directory.Delete(DataDirectory, recursive: true);
    }

}

/// <summary>DAV requests as a transcript reads them: method, path, headers, body; and the answer parsed.</summary>
public static class Dav
{
    public static readonly XNamespace D = "DAV:";
    public static readonly XNamespace C = "urn:ietf:params:xml:ns:caldav";
    public static readonly XNamespace Card = "urn:ietf:params:xml:ns:carddav";
    public static readonly XNamespace CS = "http://calendarserver.org/ns/";
    public static readonly XNamespace ICal = "http://apple.com/ns/ical/";

    public static async Task<HttpResponseMessage> SendAsync(this HttpClient client, string method, string path, string? body = null,
        string contentType = "application/xml; charset=utf-8", params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
            request.Content = new StringContent(body, new MediaTypeHeaderValue(contentType.Split(';')[0]) { CharSet = "utf-8" });
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        return await client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PutCalendarAsync(this HttpClient client, string path, string ics, params (string Name, string Value)[] headers)
        => client.SendAsync("PUT", path, ics, "text/calendar", headers);

    public static async Task<XDocument> MultistatusAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(207), text);
        return XDocument.Parse(text);
    }

    /// <summary>A 403 whose <c>DAV:need-privileges</c> (RFC 3744 §7.1.1) names <paramref name="resource"/> and the missing <paramref name="privilege"/>.</summary>
    public static async Task AssertNeedsPrivilegeAsync(this HttpResponseMessage response, string resource, string privilege)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Forbidden), text);
        var needed = XDocument.Parse(text).Root!.Element(D + "need-privileges")!.Element(D + "resource")!;
        Assert.That((needed.Element(D + "href")!.Value, needed.Element(D + "privilege")!.Elements().Single().Name), Is.EqualTo((resource, D + privilege)));
    }

    /// <summary>The <c>response</c> element for <paramref name="href"/>.</summary>
    public static XElement Response(this XDocument multistatus, string href)
        => multistatus.Root!.Elements(D + "response").Single(r => r.Element(D + "href")!.Value == href);

    /// <summary>The value element of a property found (200) in a response, or null.</summary>
    public static XElement? Found(this XElement response, XName property)
        => response.Elements(D + "propstat").Where(p => p.Element(D + "status")!.Value.Contains(" 200 ", StringComparison.Ordinal))
            .Select(p => p.Element(D + "prop")!.Element(property)).FirstOrDefault(e => e is not null);

    public static IReadOnlyList<string> Hrefs(this XDocument multistatus)
        => multistatus.Root!.Elements(D + "response").Select(r => r.Element(D + "href")!.Value).ToList();

    /// <summary>The body of a GET that must answer 200.</summary>
    public static async Task<string> GetTextAsync(this HttpClient client, string href)
    {
        var response = await client.GetAsync(href);
        Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK), href);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Every member of a collection with its text (PROPFIND Depth 1, then GET each).</summary>
    public static async Task<List<(string Href, string Text)>> MembersAsync(this HttpClient client, string collection)
    {
        var listing = await (await client.SendAsync("PROPFIND", collection, "<D:propfind xmlns:D='DAV:'><D:prop><D:getetag/></D:prop></D:propfind>",
            headers: ("Depth", "1"))).MultistatusAsync();
        var members = new List<(string, string)>();
        foreach (var href in listing.Hrefs().Where(h => h != collection))
            members.Add((href, await client.GetTextAsync(href)));
        return members;
    }

    /// <summary>The one member of a collection whose iCalendar UID is <paramref name="uid"/>.</summary>
    public static async Task<(string Href, string Text)> MemberAsync(this HttpClient client, string collection, string uid)
        => (await client.MembersAsync(collection)).Single(m => m.Text.Contains("UID:" + uid + "\r\n", StringComparison.Ordinal));

    /// <summary>An iCalendar object with one VEVENT; extra lines go inside the VEVENT.</summary>
    public static string Event(string uid, string start, string end, string summary = "Meeting", params string[] extra)
        => "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//dav//EN\r\nBEGIN:VEVENT\r\n" +
           $"UID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{start}\r\nDTEND:{end}\r\nSUMMARY:{summary}\r\n" +
           string.Concat(extra.Select(e => e + "\r\n")) + "END:VEVENT\r\nEND:VCALENDAR\r\n";

    public static string Todo(string uid, string summary, params string[] extra)
        => "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//dav//EN\r\nBEGIN:VTODO\r\n" +
           $"UID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:{summary}\r\n" +
           string.Concat(extra.Select(e => e + "\r\n")) + "END:VTODO\r\nEND:VCALENDAR\r\n";
}
