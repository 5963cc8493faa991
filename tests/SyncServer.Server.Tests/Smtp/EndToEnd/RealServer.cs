using System.Globalization;
using System.Net.Sockets;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Server.Tests.Cli;
using SyncServer.Server.Tests.Smtp.Outbound;
using SyncServer.Storage;

namespace SyncServer.Server.Tests.Smtp.EndToEnd;

/// <summary>
/// One real <c>serve</c> process for every end-to-end SMTP test (started like <see cref="ServeTests"/>: a child
/// process on free ports, a temporary data directory, domain and users made with the CLI). Real delivery, real
/// directory, default limits (50 MB). DNS is the fixture (never the internet) with the records of
/// <see cref="InboundAuthenticationTests"/>, and DMARC p=reject is enforced.
/// </summary>
[SetUpFixture]
public sealed class RealServer
{
    public const string User = "bob@example.org";
    public const string ThrottledUser = "carol@example.org";
    public const string Password = "correct horse";

    private static string _data = null!;
    private static ServerProcess _server = null!;
    private static DnsFixture _dns = null!;

    public static int Mx { get; private set; }
    public static int Submission { get; private set; }
    public static int Smtps { get; private set; }

    public static string Stderr => _server.Stderr;

    /// <summary>A text body of 51 MiB in lines of 1,000 characters: over the default 50 MiB limit.</summary>
    public static string FiftyOneMegabytes { get; } =
        new System.Text.StringBuilder().Insert(0, new string('x', 998) + "\r\n", 51 * 1024 * 1024 / 1000 + 1).ToString();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _data = Path.Combine(Path.GetTempPath(), "syncserver-smtp-e2e-" + Guid.NewGuid().ToString("N"));
        await CliAsync(null, "domain", "add", "example.org");
        await CliAsync(Password + "\n", "user", "add", User, "--password-stdin");
        await CliAsync(Password + "\n", "user", "add", ThrottledUser, "--password-stdin");
        (Mx, Submission, Smtps) = (ServerProcess.FreePort(), ServerProcess.FreePort(), ServerProcess.FreePort());
        _dns = InboundAuthenticationTests.Zone();
        var environment = new Dictionary<string, string>(ServerProcess.TestEnvironment)
        {
            ["SYNCSERVER__SERVERNAME"] = "mx.test",
            ["SYNCSERVER__LISTENERS__SMTP"] = Mx.ToString(CultureInfo.InvariantCulture),
            ["SYNCSERVER__LISTENERS__SUBMISSION"] = Submission.ToString(CultureInfo.InvariantCulture),
            ["SYNCSERVER__LISTENERS__SMTPS"] = Smtps.ToString(CultureInfo.InvariantCulture),
            ["SYNCSERVER__DNS__SERVER"] = _dns.Server,
            ["SYNCSERVER__MAIL__ENFORCEDMARCREJECT"] = "true",
        };
        foreach (var listener in new[] { "HTTP", "HTTPS", "IMAP", "IMAPS", "POP3", "POP3S" })
            environment[$"SYNCSERVER__LISTENERS__{listener}"] = "0";
        _server = ServerProcess.Start(_data, environment, "serve");
        // Kestrel accepts on each port as soon as it is bound, so wait for every one.
        foreach (var (port, tls) in new[] { (Mx, false), (Submission, false), (Smtps, true) })
            await WaitForGreetingAsync(port, tls);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _server.StopAsync(TimeSpan.FromSeconds(15));
        _server.Dispose();
        _dns.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    /// <summary>The stored messages (trace headers included) in the INBOX of <paramref name="address"/>, read through the store.</summary>
    public static async Task<IReadOnlyList<byte[]>> InboxAsync(string address)
    {
        await using var opened = await StoreHost.OpenAsync(new StorageOptions { DataDirectory = _data }, TimeProvider.System, CancellationToken.None);
        var account = (await opened.Directory.GetAccountAsync(address, CancellationToken.None))!;
        var inbox = (await opened.Store.ListCollectionsAsync(account.Id, CancellationToken.None)).Single(c => c.Role == CollectionRole.Inbox);
        var contents = new List<byte[]>();
        foreach (var item in await opened.Store.ListItemsAsync(inbox.Id, new ImapUid(0), int.MaxValue, CancellationToken.None))
        {
            await using var content = await ItemContent.OpenAsync(item, opened.Blobs, CancellationToken.None);
            var bytes = new MemoryStream();
            await content.CopyToAsync(bytes);
            contents.Add(bytes.ToArray());
        }
        return contents;
    }

    private static async Task CliAsync(string? stdin, params string[] args)
    {
        var result = await ServerProcess.RunAsync(_data, stdin, args);
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
    }

    private static async Task WaitForGreetingAsync(int port, bool implicitTls)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            Assert.That(_server.HasExited, Is.False, _server.Stderr);
            try
            {
                await using var client = await RawSmtpClient.ConnectAsync(port, implicitTls);
                if (await client.ReadLineAsync() is { } greeting && greeting.StartsWith("220 ", StringComparison.Ordinal))
                    return;
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
            }
            await Task.Delay(100);
        }
        Assert.Fail("the SMTP listener did not answer: " + _server.Stderr);
    }
}
