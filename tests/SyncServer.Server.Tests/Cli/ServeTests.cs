using System.Net;
using System.Text.RegularExpressions;
using Npgsql;

namespace SyncServer.Server.Tests.Cli;

/// <summary><c>serve</c> as a child process on free ports (needs the storage step).</summary>
public sealed partial class ServeTests
{
    private string _data = null!;
    private int _http;
    private int _https;
    private Dictionary<string, string> _environment = null!;
    private ServerProcess? _server;

    [SetUp]
    public void SetUp()
    {
        _data = Path.Combine(Path.GetTempPath(), "syncserver-serve-" + Guid.NewGuid().ToString("N"));
        (_http, _https) = (ServerProcess.FreePort(), ServerProcess.FreePort());
        _environment = new Dictionary<string, string>(ServerProcess.TestEnvironment)
        {
            ["SYNCSERVER__LISTENERS__HTTP"] = _http.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SYNCSERVER__LISTENERS__HTTPS"] = _https.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var listener in new[] { "SMTP", "SUBMISSION", "SMTPS", "IMAP", "IMAPS", "POP3", "POP3S" })
            _environment[$"SYNCSERVER__LISTENERS__{listener}"] = "0";
    }

    [TearDown]
    public void TearDown()
    {
        _server?.Dispose();
        if (Directory.Exists(_data))
            Directory.Delete(_data, recursive: true);
    }

    [Test]
    public async Task NewDataDirectory_ServesHealthAndMetrics_AndPrintsThePasswordOnce()
    {
        _server = ServerProcess.Start(_data, _environment, "serve");
        using var https = HttpsClient();
        await WaitForHealthAsync(https);

        Assert.That(AdminPassword().Matches(_server.Stdout), Has.Count.EqualTo(1), _server.Stdout);
        var metrics = await https.GetStringAsync($"https://127.0.0.1:{_https}/metrics");
        Assert.That(metrics, Does.Contain("syncserver_build_info{").And.Contain("http_requests_received_total"));
        if (!OperatingSystem.IsWindows())
            Assert.That(File.GetUnixFileMode(Path.Combine(_data, "tls", "key.pem")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        var certificate = await File.ReadAllTextAsync(Path.Combine(_data, "tls", "cert.pem"));

        Assert.That(await _server.StopAsync(TimeSpan.FromSeconds(15)), Is.Zero, _server.Stderr);
        _server.Dispose();

        _server = ServerProcess.Start(_data, _environment, "serve");
        await WaitForHealthAsync(https);
        Assert.That(_server.Stdout, Does.Not.Contain("Administrator account created"));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(_data, "tls", "cert.pem")), Is.EqualTo(certificate), "the certificate is reused");
    }

    [Test]
    public async Task PlainHttp_RedirectsToHttps_ExceptHealthMetricsAndAcme()
    {
        _server = ServerProcess.Start(_data, _environment, "serve");
        using var https = HttpsClient();
        await WaitForHealthAsync(https);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        using var redirect = await http.GetAsync($"http://127.0.0.1:{_http}/dav/principals/?x=1");
        Assert.That(redirect.StatusCode, Is.EqualTo(HttpStatusCode.TemporaryRedirect));
        Assert.That(redirect.Headers.Location, Is.EqualTo(new Uri($"https://127.0.0.1:{_https}/dav/principals/?x=1")));

        using var health = await http.GetAsync($"http://127.0.0.1:{_http}/healthz");
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await health.Content.ReadAsStringAsync(), Is.EqualTo("ok"));
        using var metrics = await http.GetAsync($"http://127.0.0.1:{_http}/metrics");
        Assert.That(metrics.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var acme = await http.GetAsync($"http://127.0.0.1:{_http}/.well-known/acme-challenge/token");
        Assert.That(acme.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Healthz_Answers503_WhenThePostgresDatabaseIsGone_AndTheServerKeepsServing()
    {
        var postgres = Environment.GetEnvironmentVariable("SYNCSERVER_TEST_POSTGRES")
            ?? throw new AssertionException("set SYNCSERVER_TEST_POSTGRES or run ./test.sh");
        var database = "healthz_" + Guid.NewGuid().ToString("N");
        await using var admin = NpgsqlDataSource.Create(postgres);
        await using (var create = admin.CreateCommand($"CREATE DATABASE {database}"))
            await create.ExecuteNonQueryAsync();
        _environment["SYNCSERVER__STORAGE__PROVIDER"] = "postgres";
        _environment["SYNCSERVER__STORAGE__CONNECTIONSTRING"] = new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString;
        _server = ServerProcess.Start(_data, _environment, "serve");
        using var https = HttpsClient();
        await WaitForHealthAsync(https);

        await using (var drop = admin.CreateCommand($"DROP DATABASE {database} WITH (FORCE)"))
            await drop.ExecuteNonQueryAsync();

        using var health = await https.GetAsync($"https://127.0.0.1:{_https}/healthz");
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(_server.HasExited, Is.False, "the server keeps serving");
    }

    /// <summary>Waits for the started server to be ready: up to a minute, since a loaded machine starts it slowly.</summary>
    private async Task WaitForHealthAsync(HttpClient https)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var response = await https.GetAsync($"https://127.0.0.1:{_https}/healthz");
                if (response.StatusCode == HttpStatusCode.OK && await response.Content.ReadAsStringAsync() == "ok")
                    return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            if (DateTime.UtcNow >= deadline || _server!.HasExited)
                Assert.Fail($"/healthz did not answer ok within 60 s.\nstdout:\n{_server!.Stdout}\nstderr:\n{_server.Stderr}");
            await Task.Delay(100);
        }
    }

    private static HttpClient HttpsClient() => new(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
    }) { Timeout = TimeSpan.FromSeconds(5) };

    [GeneratedRegex(@"^Administrator account created: admin / [A-Za-z0-9]{20} \(shown once; change it with \./syncserver admin passwd\)$", RegexOptions.Multiline)]
    private static partial Regex AdminPassword();
}
