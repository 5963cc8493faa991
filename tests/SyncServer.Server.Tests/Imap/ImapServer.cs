using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using SyncServer.Server.Tests.Cli;

namespace SyncServer.Server.Tests.Imap;

/// <summary>
/// The real server as a child process with only its IMAP listeners on free ports, and one user
/// (<see cref="User"/> / <see cref="Password"/>) made with the CLI. One per test fixture.
/// </summary>
public sealed class ImapServer : IAsyncDisposable
{
    public const string User = "alice@example.org";
    public const string Password = "correct horse battery";

    private readonly string _data;
    private readonly ServerProcess _process;

    private ImapServer(string data, ServerProcess process, int imap, int imaps)
    {
        _data = data;
        _process = process;
        ImapPort = imap;
        ImapsPort = imaps;
    }

    public int ImapPort { get; }

    public int ImapsPort { get; }

    public string Stderr => _process.Stderr;

    public static async Task<ImapServer> StartAsync()
    {
        var data = Path.Combine(Path.GetTempPath(), "syncserver-imap-" + Guid.NewGuid().ToString("N"));
        Assert.That((await ServerProcess.RunAsync(data, null, "domain", "add", "example.org")).ExitCode, Is.Zero);
        var user = await ServerProcess.RunAsync(data, Password + "\n", "user", "add", User, "--password-stdin");
        Assert.That(user.ExitCode, Is.Zero, user.Stderr);
        var (imap, imaps) = (FreePort(), FreePort());
        var environment = new Dictionary<string, string>(ServerProcess.TestEnvironment)
        {
            ["SYNCSERVER__LISTENERS__IMAP"] = imap.ToString(CultureInfo.InvariantCulture),
            ["SYNCSERVER__LISTENERS__IMAPS"] = imaps.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var listener in new[] { "HTTP", "HTTPS", "SMTP", "SUBMISSION", "SMTPS", "POP3", "POP3S" })
            environment[$"SYNCSERVER__LISTENERS__{listener}"] = "0";
        var server = new ImapServer(data, ServerProcess.Start(data, environment, "serve"), imap, imaps);
        await server.WaitUntilListeningAsync();
        return server;
    }

    /// <summary>A MailKit client, connected and logged in (STARTTLS on the plain port, or implicit TLS).</summary>
    public async Task<ImapClient> ConnectAsync(bool implicitTls = false, Stream? log = null)
    {
        var client = log is null ? new ImapClient() : new ImapClient(new ProtocolLogger(log));
        client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        await client.ConnectAsync("127.0.0.1", implicitTls ? ImapsPort : ImapPort, implicitTls ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls);
        await client.AuthenticateAsync(User, Password);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            await _process.StopAsync(TimeSpan.FromSeconds(15));
        _process.Dispose();
        if (Directory.Exists(_data))
            Directory.Delete(_data, recursive: true);
    }

    private async Task WaitUntilListeningAsync()
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (_process.HasExited)
                Assert.Fail($"server exited: {_process.Stderr}");
            try
            {
                foreach (var port in new[] { ImapPort, ImapsPort })
                {
                    using var tcp = new TcpClient();
                    await tcp.ConnectAsync(IPAddress.Loopback, port);
                }
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        Assert.Fail($"IMAP listeners did not start: {_process.Stderr}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
