using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace SyncServer.Server.Tests.Cli;

/// <summary>Runs the built server (<c>dotnet SyncServer.Server.dll ...</c>) as a child process against a temporary data directory.</summary>
public sealed class ServerProcess : IDisposable
{
    // Tests do not need 210,000 PBKDF2 rounds per password.
    public static readonly Dictionary<string, string> TestEnvironment = new() { ["SYNCSERVER__SECURITY__PASSWORDITERATIONS"] = "1000" };

    private static readonly string[] Listeners = ["HTTP", "HTTPS", "SMTP", "SUBMISSION", "SMTPS", "IMAP", "IMAPS", "POP3", "POP3S"];

    /// <summary>
    /// <see cref="TestEnvironment"/> for a <c>serve</c> that listens only on the given ports (by listener name, e.g.
    /// <c>("IMAPS", 12345)</c>); every other listener is off, so parallel fixtures never compete for the default ports.
    /// </summary>
    public static Dictionary<string, string> EnvironmentListeningOn(params (string Listener, int Port)[] ports)
    {
        var environment = new Dictionary<string, string>(TestEnvironment);
        foreach (var listener in Listeners)
            environment[$"SYNCSERVER__LISTENERS__{listener}"] = "0";
        foreach (var (listener, port) in ports)
            environment[$"SYNCSERVER__LISTENERS__{listener}"] = port.ToString(CultureInfo.InvariantCulture);
        return environment;
    }

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ServerProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
            return; // end of stream
        lock (output)
            output.Append(line).Append('\n');
    }

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }
    public bool HasExited => _process.HasExited;

    /// <summary>The server's peak resident set size so far, in bytes: VmHWM of /proc/&lt;pid&gt;/status (Linux).</summary>
    public long PeakResidentBytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
    public int ExitCode => _process.ExitCode;

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs one CLI verb to completion; <paramref name="stdin"/> is written then closed.</summary>
    public static async Task<Result> RunAsync(string dataDirectory, string? stdin, params string[] args)
    {
        using var process = Start(dataDirectory, TestEnvironment, args);
        await process._process.StandardInput.WriteAsync(stdin ?? "");
        process._process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process._process.WaitForExitAsync(timeout.Token);
        process._process.WaitForExit(); // flushes the asynchronous output readers
        return new Result(process.ExitCode, process.Stdout, process.Stderr);
    }

    public static ServerProcess Start(string dataDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SyncServer.Server.dll"));
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.ArgumentList.Add("--data");
        info.ArgumentList.Add(dataDirectory);
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        return new ServerProcess(Process.Start(info)!);
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Starts <c>serve</c> on <paramref name="portCount"/> free ports (<paramref name="environment"/> maps them to
    /// settings) and waits until it accepts on each. <see cref="FreePort"/> only knows a port was free when it looked,
    /// so a port taken in between by a parallel fixture means a retry on new ports.
    /// </summary>
    public static async Task<(ServerProcess Process, int[] Ports)> StartServeAsync(
        string dataDirectory, int portCount, Func<int[], Dictionary<string, string>> environment)
    {
        for (var attempt = 1; ; attempt++)
        {
            var ports = Enumerable.Range(0, portCount).Select(_ => FreePort()).ToArray();
            var process = Start(dataDirectory, environment(ports), "serve");
            if (await process.TryWaitUntilListeningAsync(ports))
                return (process, ports);
            var stderr = process.Stderr;
            process.Dispose();
            if (attempt == 3 || !stderr.Contains("address already in use", StringComparison.Ordinal))
                Assert.Fail($"serve did not start listening on {string.Join(", ", ports)}: {stderr}");
        }
    }

    /// <summary>Waits until <c>serve</c> accepts connections on every port; false when it exited or never did.</summary>
    private async Task<bool> TryWaitUntilListeningAsync(int[] ports)
    {
        for (var attempt = 0; attempt < 300 && !_process.HasExited; attempt++)
        {
            try
            {
                foreach (var port in ports)
                {
                    using var tcp = new TcpClient();
                    await tcp.ConnectAsync(IPAddress.Loopback, port);
                }
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        return false;
    }

    /// <summary>Asks for a graceful shutdown (SIGTERM) and waits for the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        _ = Kill(_process.Id, Sigterm);
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL to the server and its children, as a crash would end them; waits until they are gone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private const int Sigterm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
