using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SyncServer.Server.Tests.Dav;

/// <summary>
/// Debian's own DAV clients against the real server over HTTPS (the test certificate is not verified by the client, for the
/// test only): the python3-caldav library, litmus (basic, copymove, props) and vdirsyncer. Installed by .ci/run.
/// </summary>
[TestFixture]
public sealed partial class RealClientTests
{
    private DavServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await DavServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Python_caldav_creates_a_calendar_saves_searches_and_syncs()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Dav", "Clients", "caldav_client.py");
        var (exit, output) = await RunAsync("/usr/bin/python3", [script, new Uri(_server.BaseUri, "/dav/").ToString(), DavServer.Alice, DavServer.Password]);
        TestContext.Out.WriteLine(output);
        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("ok sync_token"));
    }

    /// <summary>
    /// litmus against the files tree (<c>/dav/files/{user}/</c>, where plain collections live): every test of basic, copymove
    /// and props passes. Its one warning is expected: no class 2 (LOCK is not implemented, and OPTIONS does not claim it).
    /// </summary>
    [Test]
    public async Task Litmus_basic_copymove_props()
    {
        var url = new Uri(_server.BaseUri, "/dav/files/alice@example.org/").ToString();
        var (_, output) = await RunAsync("/usr/bin/litmus", ["-k", url, DavServer.Alice, DavServer.Password],
            new Dictionary<string, string> { ["TESTS"] = "basic copymove props" });
        TestContext.Out.WriteLine(output);
        var summaries = LitmusSummary().Matches(output).ToDictionary(m => m.Groups[1].Value,
            m => (Run: int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), Passed: int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture),
                Failed: int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture)));
        foreach (var line in output.Split('\n').Where(l => l.Contains("<- summary", StringComparison.Ordinal)))
            TestContext.Out.WriteLine("litmus " + line.Trim());
        Assert.That(summaries.Keys, Is.EquivalentTo(new[] { "basic", "copymove", "props" }), "each suite ran and printed its counts");
        foreach (var (suite, counts) in summaries)
            Assert.That((counts.Passed, counts.Failed), Is.EqualTo((counts.Run, 0)), $"litmus {suite}: every test passes");
        Assert.That(summaries.Values.Sum(c => c.Run), Is.EqualTo(16 + 13 + 30), "basic 16, copymove 13, props 30 (litmus 0.13)");
    }

    [GeneratedRegex(@"<- summary for `(\w+)': of (\d+) tests run: (\d+) passed, (\d+) failed")]
    private static partial Regex LitmusSummary();

    internal static async Task<(int Exit, string Output)> RunAsync(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
