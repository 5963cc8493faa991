using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using SyncServer.Protocols.ActiveSync.Wbxml;
using SyncServer.Server.Tests.Cli;

namespace SyncServer.Server.Tests.ActiveSync;

/// <summary>
/// The real server with its HTTPS listener (ActiveSync) and IMAPS (to change mail beside the phone), and one user
/// whose password is not ASCII (Outlook sends it in ISO-8859-1). One per test fixture.
/// </summary>
public sealed class EasServer : IAsyncDisposable
{
    public const string User = "alice@example.org";
    public const string Password = "pässword ünd more";

    private readonly string _data;
    private readonly ServerProcess _process;

    private EasServer(string data, ServerProcess process, int https, int imaps, int submission, int? mx)
    {
        (_data, _process, HttpsPort, ImapsPort, SubmissionPort, MxPort) = (data, process, https, imaps, submission, mx);
    }

    public int HttpsPort { get; }
    public int ImapsPort { get; }
    public int SubmissionPort { get; }

    /// <summary>The SMTP (MX) listener's port when started with one, for mail from outside.</summary>
    public int? MxPort { get; }
    public string DataDirectory => _data;
    public string Stderr => _process.Stderr;

    /// <summary>Starts the server; <paramref name="settings"/> are extra <c>SYNCSERVER__…</c> settings, <paramref name="withMx"/> adds the SMTP listener.</summary>
    public static async Task<EasServer> StartAsync(IReadOnlyDictionary<string, string>? settings = null, bool withMx = false)
    {
        var data = Path.Combine(Path.GetTempPath(), "syncserver-eas-" + Guid.NewGuid().ToString("N"));
        Assert.That((await ServerProcess.RunAsync(data, null, "domain", "add", "example.org")).ExitCode, Is.Zero);
        var user = await ServerProcess.RunAsync(data, Password + "\n", "user", "add", User, "--password-stdin", "--name", "Alice Liddell");
        Assert.That(user.ExitCode, Is.Zero, user.Stderr);
        var (process, ports) = await ServerProcess.StartServeAsync(data, withMx ? 4 : 3, p =>
        {
            var environment = withMx
                ? ServerProcess.EnvironmentListeningOn(("HTTPS", p[0]), ("IMAPS", p[1]), ("SUBMISSION", p[2]), ("SMTP", p[3]))
                : ServerProcess.EnvironmentListeningOn(("HTTPS", p[0]), ("IMAPS", p[1]), ("SUBMISSION", p[2]));
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
                environment[key] = value;
            return environment;
        });
        return new EasServer(data, process, ports[0], ports[1], ports[2], withMx ? ports[3] : null);
    }

    public HttpClient NewHttpClient()
        => new(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true })
        {
            BaseAddress = new Uri($"https://127.0.0.1:{HttpsPort}"),
        };

    public Task<ServerProcess.Result> CliAsync(params string[] args) => ServerProcess.RunAsync(_data, null, args);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            await _process.StopAsync(TimeSpan.FromSeconds(15));
        _process.Dispose();
        if (Directory.Exists(_data))
            Directory.Delete(_data, recursive: true);
    }
}

/// <summary>
/// A phone as the server sees it: one device id and type, a protocol version, its policy key once provisioned; the
/// account is alice unless another <paramref name="user"/> is given.
/// </summary>
public sealed class EasDevice(EasServer server, string deviceId, string deviceType, string version, Encoding? credentialEncoding = null,
    string user = EasServer.User, string password = EasServer.Password) : IDisposable
{
    private readonly HttpClient _http = server.NewHttpClient();

    public uint? PolicyKey { get; set; }

    public string DeviceId => deviceId;

    public AuthenticationHeaderValue Credentials(string? otherPassword = null)
        => new("Basic", Convert.ToBase64String((credentialEncoding ?? Encoding.UTF8).GetBytes($"{user}:{otherPassword ?? password}")));

    /// <summary>Sends one command with the plain query string and headers; decodes a WBXML answer.</summary>
    public async Task<(HttpResponseMessage Response, XElement? Body)> PostAsync(string command, XElement? body, string? password = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"/Microsoft-Server-ActiveSync?Cmd={command}&User={Uri.EscapeDataString(user)}&DeviceId={deviceId}&DeviceType={deviceType}");
        request.Headers.Authorization = Credentials(password);
        request.Headers.Add("MS-ASProtocolVersion", version);
        request.Headers.UserAgent.ParseAdd("TestPhone/1.0");
        if (PolicyKey is { } key)
            request.Headers.Add("X-MS-PolicyKey", key.ToString(CultureInfo.InvariantCulture));
        return await SendAsync(request, body);
    }

    /// <summary>Sends one command with the base64 request line (version and policy key inside it), as some Outlook builds do.</summary>
    public async Task<(HttpResponseMessage Response, XElement? Body)> PostBase64Async(byte commandCode, XElement? body)
    {
        var line = new List<byte> { (byte)(decimal.Parse(version, CultureInfo.InvariantCulture) * 10), commandCode, 0x09, 0x04, (byte)deviceId.Length };
        line.AddRange(Encoding.ASCII.GetBytes(deviceId));
        if (PolicyKey is { } key)
            line.AddRange([4, .. BitConverter.GetBytes(key)]);
        else
            line.Add(0);
        line.Add((byte)deviceType.Length);
        line.AddRange(Encoding.ASCII.GetBytes(deviceType));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/Microsoft-Server-ActiveSync?" + Convert.ToBase64String(line.ToArray()));
        request.Headers.Authorization = Credentials();
        return await SendAsync(request, body);
    }

    /// <summary>Sends bytes as they are (e.g. made by xml2wbxml) and returns the answer's bytes as they came.</summary>
    public async Task<(HttpResponseMessage Response, byte[] Body)> PostBytesAsync(string command, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"/Microsoft-Server-ActiveSync?Cmd={command}&User={Uri.EscapeDataString(EasServer.User)}&DeviceId={deviceId}&DeviceType={deviceType}");
        request.Headers.Authorization = Credentials();
        request.Headers.Add("MS-ASProtocolVersion", version);
        if (PolicyKey is { } key)
            request.Headers.Add("X-MS-PolicyKey", key.ToString(CultureInfo.InvariantCulture));
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.ms-sync.wbxml");
        var response = await _http.SendAsync(request);
        return (response, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Both Provision phases; afterwards <see cref="PolicyKey"/> holds the final key.</summary>
    public async Task ProvisionAsync()
    {
        var (_, first) = await PostAsync("Provision", Eas.ProvisionRequest());
        PolicyKey = uint.Parse(Eas.Value(first!, Eas.Provision + "PolicyKey"), CultureInfo.InvariantCulture);
        var (_, second) = await PostAsync("Provision", Eas.ProvisionAcknowledgement(PolicyKey.Value));
        PolicyKey = uint.Parse(Eas.Value(second!, Eas.Provision + "PolicyKey"), CultureInfo.InvariantCulture);
    }

    private async Task<(HttpResponseMessage, XElement?)> SendAsync(HttpRequestMessage request, XElement? body)
    {
        if (body is not null)
        {
            request.Content = new ByteArrayContent(WbxmlEncoder.Encode(body));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.ms-sync.wbxml");
        }
        var response = await _http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        if (bytes.Length == 0 || response.Content.Headers.ContentType?.MediaType != "application/vnd.ms-sync.wbxml")
            return (response, null);
        Assert.That(WbxmlDecoder.TryDecode(bytes, WbxmlLimits.Default, out var root, out var error), Is.True, error?.ToString());
        return (response, root);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>Request documents and look-ups shared by the ActiveSync tests.</summary>
public static class Eas
{
    public static readonly XNamespace Provision = ActiveSyncNamespaces.Provision;
    public static readonly XNamespace Settings = ActiveSyncNamespaces.Settings;
    public static readonly XNamespace Folders = ActiveSyncNamespaces.FolderHierarchy;

    public static XElement ProvisionRequest(XElement? deviceInformation = null)
        => new(Provision + "Provision", deviceInformation,
            new XElement(Provision + "Policies", new XElement(Provision + "Policy", new XElement(Provision + "PolicyType", "MS-EAS-Provisioning-WBXML"))));

    public static XElement ProvisionAcknowledgement(uint temporaryKey)
        => new(Provision + "Provision", new XElement(Provision + "Policies", new XElement(Provision + "Policy",
            new XElement(Provision + "PolicyType", "MS-EAS-Provisioning-WBXML"),
            new XElement(Provision + "PolicyKey", temporaryKey),
            new XElement(Provision + "Status", 1))));

    public static XElement FolderSync(string syncKey) => new(Folders + "FolderSync", new XElement(Folders + "SyncKey", syncKey));

    /// <summary>The text of the first descendant with this name (fails the test when there is none).</summary>
    public static string Value(XElement root, XName name)
    {
        var element = root.Descendants(name).FirstOrDefault();
        Assert.That(element, Is.Not.Null, $"no {name.LocalName} in {root}");
        return element!.Value;
    }
}
