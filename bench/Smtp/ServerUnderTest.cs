using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SyncServer.Bench.Smtp;

/// <summary>Our <c>serve</c> (the Release build) on free loopback ports over a prepared data directory, its log in a file.</summary>
public sealed class ServerUnderTest : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ServerUnderTest(Process process, StreamWriter log, int mx, int submission)
    {
        (_process, _log, Mx, Submission) = (process, log, mx, submission);
        process.OutputDataReceived += (_, e) => Log(e.Data);
        process.ErrorDataReceived += (_, e) => Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Mx { get; }
    public int Submission { get; }

    public static async Task<ServerUnderTest> StartAsync(string serverDll, string data, string dnsServer)
    {
        var (mx, submission) = (FreePort(), FreePort());
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { serverDll, "serve", "--data", data })
            info.ArgumentList.Add(arg);
        info.Environment["SYNCSERVER__SERVERNAME"] = "mx.bench.test";
        info.Environment["SYNCSERVER__DNS__SERVER"] = dnsServer;
        // Every benchmark connection comes from 127.0.0.1: lift the per-address session limit (default 20).
        info.Environment["SYNCSERVER__LIMITS__MAXSMTPSESSIONSPERIP"] = "1000";
        info.Environment["SYNCSERVER__LISTENERS__SMTP"] = mx.ToString(CultureInfo.InvariantCulture);
        info.Environment["SYNCSERVER__LISTENERS__SUBMISSION"] = submission.ToString(CultureInfo.InvariantCulture);
        foreach (var listener in new[] { "HTTP", "HTTPS", "SMTPS", "IMAP", "IMAPS", "POP3", "POP3S" })
            info.Environment[$"SYNCSERVER__LISTENERS__{listener}"] = "0";
        var server = new ServerUnderTest(Process.Start(info)!, new StreamWriter(Path.Combine(data, "serve.log")), mx, submission);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var probe = await MxClient.ConnectAsync(mx);
                return server;
            }
            catch (SocketException) when (attempt < 300 && !server._process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>The peak resident set size so far (VmHWM), in MiB.</summary>
    public double PeakRssMegabytes() => StatusKilobytes("VmHWM:") / 1024.0;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(); // SIGKILL: every 250 was durable already, and the data directory is thrown away
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        lock (_log)
            _log.Dispose();
    }

    private long StatusKilobytes(string field)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private void Log(string? line)
    {
        if (line is null)
            return;
        lock (_log)
            _log.WriteLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
