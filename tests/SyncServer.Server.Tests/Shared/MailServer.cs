using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using SyncServer.Server.Tests.Cli;

namespace SyncServer.Server.Tests.Shared;

/// <summary>
/// The real server as a child process with its mailbox-access listeners (IMAP, IMAPS, POP3, POP3S) and the
/// submission listener (for mail to arrive as SMTP brings it) on free ports, and one user (<see cref="User"/> / <see cref="Password"/>) made with the CLI. One per test fixture.
/// </summary>
public sealed class MailServer : IAsyncDisposable
{
    public const string User = "alice@example.org";
    public const string Password = "correct horse battery";

    private readonly string _data;
    private readonly ServerProcess _process;

    private MailServer(string data, ServerProcess process, int imap, int imaps, int pop3, int pop3s, int submission)
    {
        _data = data;
        _process = process;
        (ImapPort, ImapsPort, Pop3Port, Pop3sPort, SubmissionPort) = (imap, imaps, pop3, pop3s, submission);
    }

    public int ImapPort { get; }

    public int ImapsPort { get; }

    public int Pop3Port { get; }

    public int Pop3sPort { get; }

    public int SubmissionPort { get; }

    /// <summary>The self-signed certificate the server made in its data directory (PEM), for clients that check it.</summary>
    public string CertificatePath => Path.Combine(_data, "tls", "cert.pem");

    public string Stderr => _process.Stderr;

    /// <summary>The data directory, for CLI verbs run beside the serving process.</summary>
    public string DataDirectory => _data;

    public static async Task<MailServer> StartAsync()
    {
        var data = Path.Combine(Path.GetTempPath(), "syncserver-mail-" + Guid.NewGuid().ToString("N"));
        Assert.That((await ServerProcess.RunAsync(data, null, "domain", "add", "example.org")).ExitCode, Is.Zero);
        var user = await ServerProcess.RunAsync(data, Password + "\n", "user", "add", User, "--password-stdin");
        Assert.That(user.ExitCode, Is.Zero, user.Stderr);
        var (process, ports) = await ServerProcess.StartServeAsync(data, 5, p => ServerProcess.EnvironmentListeningOn(
            ("IMAP", p[0]), ("IMAPS", p[1]), ("POP3", p[2]), ("POP3S", p[3]), ("SUBMISSION", p[4])));
        return new MailServer(data, process, ports[0], ports[1], ports[2], ports[3], ports[4]);
    }

    /// <summary>Adds another user (password <see cref="Password"/>) with the CLI, beside the running server.</summary>
    public async Task AddUserAsync(string address, string? quota = null)
    {
        string[] arguments = quota is null ? ["user", "add", address, "--password-stdin"] : ["user", "add", address, "--password-stdin", "--quota", quota];
        var user = await ServerProcess.RunAsync(_data, Password + "\n", arguments);
        Assert.That(user.ExitCode, Is.Zero, user.Stderr);
    }

    /// <summary>A MailKit client, connected and logged in (STARTTLS on the plain port, or implicit TLS).</summary>
    public async Task<ImapClient> ConnectAsync(bool implicitTls = false, Stream? log = null, string user = User, string password = Password)
    {
        var client = log is null ? new ImapClient() : new ImapClient(new ProtocolLogger(log));
        client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        await client.ConnectAsync("127.0.0.1", implicitTls ? ImapsPort : ImapPort, implicitTls ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls);
        try
        {
            await client.AuthenticateAsync(user, password);
        }
        catch
        {
            client.Dispose(); // a refused login must not leave a session that holds up the server's shutdown
            throw;
        }
        return client;
    }

    /// <summary>A raw IMAPS connection past the greeting, logged in as <see cref="User"/>.</summary>
    public async Task<RawLineClient> ConnectRawImapAsync()
    {
        var client = await RawLineClient.ConnectAsync(ImapsPort, implicitTls: true);
        await client.ReadLineAsync();
        await client.SendAsync($"login LOGIN {User} \"{Password}\"\r\n");
        Assert.That((await client.ReadUntilAsync("login "))[^1], Does.StartWith("login OK"));
        return client;
    }

    /// <summary>SIGTERM, as a service manager stops the server; waits for the exit code.</summary>
    public Task<int> StopAsync(TimeSpan timeout) => _process.StopAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            await _process.StopAsync(TimeSpan.FromSeconds(15));
        _process.Dispose();
        if (Directory.Exists(_data))
            Directory.Delete(_data, recursive: true);
    }

}
