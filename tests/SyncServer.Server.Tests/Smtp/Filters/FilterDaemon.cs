using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using SyncServer.Server.Tests.Cli;

namespace SyncServer.Server.Tests.Smtp.Filters;

/// <summary>
/// A real filter daemon from Debian (spamd, clamd) run by a test on a free loopback port, with a throwaway
/// configuration in a temporary folder; nothing of the machine's own configuration or data is used or changed.
/// </summary>
public sealed class FilterDaemon : IAsyncDisposable
{
    /// <summary>The anti-virus test file (eicar.org), built from two halves so this source file is not itself "infected".</summary>
    public static readonly byte[] Eicar = Encoding.ASCII.GetBytes(@"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-" + "STANDARD-ANTIVIRUS-TEST-FILE!$H+H*");

    /// <summary>SpamAssassin's test string (GTUBE): any message containing it scores 1000.</summary>
    public const string Gtube = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    /// <summary>A local rule of the test spamd: a message containing it scores 2500 more than GTUBE alone would.</summary>
    public const string RejectToken = "SYNCSERVER-TEST-REJECT-TOKEN";

    private readonly string _directory;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private FilterDaemon(string directory, int port, ProcessStartInfo start)
    {
        _directory = directory;
        Port = port;
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        start.UseShellExecute = false;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }
    public string Endpoint => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>
    /// spamd with Debian's rules, local tests only (<c>-L</c>: no DNS or network rules), no per-user config, no Bayes,
    /// plus one local rule scoring <see cref="RejectToken"/> 2500.
    /// </summary>
    public static async Task<FilterDaemon> StartSpamdAsync()
    {
        const string spamd = "/usr/sbin/spamd";
        Assert.That(File.Exists(spamd), Is.True, "spamd is missing: apt-get install spamd (see .ci/run)");
        var directory = TemporaryDirectory("spamd");
        var site = Directory.CreateDirectory(Path.Combine(directory, "site")).FullName;
        foreach (var pre in Directory.Exists("/etc/spamassassin") ? Directory.GetFiles("/etc/spamassassin", "*.pre") : [])
            File.Copy(pre, Path.Combine(site, Path.GetFileName(pre)));
        await File.WriteAllTextAsync(Path.Combine(site, "local.cf"),
            $"use_bayes 0\nbayes_auto_learn 0\nbody SYNCSERVER_TEST_REJECT /{RejectToken}/\nscore SYNCSERVER_TEST_REJECT 2500\n");
        var port = ServerProcess.FreePort();
        var start = new ProcessStartInfo(spamd)
        {
            ArgumentList =
            {
                "--local", "--nouser-config", "--syslog=stderr", "--max-children=2",
                $"--listen=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "--allowed-ips=127.0.0.1",
                $"--siteconfigpath={site}", $"--helper-home-dir={directory}", $"--pidfile={Path.Combine(directory, "spamd.pid")}",
            },
        };
        return await StartAsync(directory, port, start);
    }

    /// <summary>clamd in the foreground on a TCP port only (no local socket), with a one-signature database: <see cref="Eicar"/> as an .ndb hex signature.</summary>
    public static async Task<FilterDaemon> StartClamdAsync()
    {
        const string clamd = "/usr/sbin/clamd";
        Assert.That(File.Exists(clamd), Is.True, "clamd is missing: apt-get install clamav-daemon (see .ci/run)");
        var directory = TemporaryDirectory("clamd");
        var database = Directory.CreateDirectory(Path.Combine(directory, "db")).FullName;
        await File.WriteAllTextAsync(Path.Combine(database, "syncserver-test.ndb"), $"SyncServer.Test.EICAR:0:*:{Convert.ToHexStringLower(Eicar)}\n");
        var port = ServerProcess.FreePort();
        var config = Path.Combine(directory, "clamd.conf");
        await File.WriteAllTextAsync(config,
            $"Foreground yes\nTCPAddr 127.0.0.1\nTCPSocket {port.ToString(CultureInfo.InvariantCulture)}\nDatabaseDirectory {database}\n" +
            $"LogFile {Path.Combine(directory, "clamd.log")}\nPidFile {Path.Combine(directory, "clamd.pid")}\n");
        return await StartAsync(directory, port, new ProcessStartInfo(clamd) { ArgumentList = { $"--config-file={config}" } });
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static string TemporaryDirectory(string name)
        => Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"syncserver-{name}-" + Guid.NewGuid().ToString("N"))).FullName;

    /// <summary>Starts the daemon and waits (generously: spamd compiles its rules first) until its port accepts.</summary>
    private static async Task<FilterDaemon> StartAsync(string directory, int port, ProcessStartInfo start)
    {
        var daemon = new FilterDaemon(directory, port, start);
        for (var attempt = 0; attempt < 600; attempt++)
        {
            Assert.That(daemon._process.HasExited, Is.False, daemon.Output);
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return daemon;
            }
            catch (SocketException)
            {
                await Task.Delay(200);
            }
        }
        await daemon.DisposeAsync();
        Assert.Fail("the daemon did not listen: " + daemon.Output);
        return null!;
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.Append(line).Append('\n');
    }
}
