using System.Globalization;
using SyncServer.Server.Tests.Shared;

namespace SyncServer.Server.Tests.Smtp.EndToEnd;

/// <summary>
/// Debian's <c>swaks</c> against the real server (installed by <c>.ci/run</c>). Its 2020 release has no CHUNKING,
/// so BDAT delivery is shown by <see cref="BdatDeliveryTests"/> and the transcripts instead.
/// </summary>
public sealed class SwaksTests
{
    [Test]
    public async Task Relay_attempt_is_refused()
    {
        var (exit, output) = await SwaksAsync("--port", Port(RealServer.Mx), "--from", "a@elsewhere.example", "--to", "victim@elsewhere.example");
        Assert.That(exit, Is.Not.Zero);
        Assert.That(output, Does.Contain("<** 554 5.7.1 "));
    }

    [Test]
    public async Task Auth_before_starttls_is_not_possible()
    {
        var (exit, output) = await SwaksAsync("--port", Port(RealServer.Submission), "--to", RealServer.User,
            "--auth", "PLAIN", "--auth-user", RealServer.User, "--auth-password", RealServer.Password);
        Assert.That(exit, Is.Not.Zero);
        Assert.That(output, Does.Contain("Host did not advertise authentication").And.Not.Contain("235 "));
    }

    [Test]
    public async Task Pipelined_authenticated_submission_is_delivered()
    {
        var (exit, output) = await SwaksAsync("--port", Port(RealServer.Submission), "--tls", "--pipeline",
            "--auth", "LOGIN", "--auth-user", RealServer.User, "--auth-password", RealServer.Password,
            "--from", RealServer.User, "--to", RealServer.User);
        Assert.That(output, Does.Contain("<~  250 2.0.0 Message accepted"));
        Assert.That(exit, Is.Zero, output);
    }

    [Test]
    public async Task Message_of_51_MB_is_refused_with_552()
    {
        var body = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(body, RealServer.FiftyOneMegabytes);
            var (exit, output) = await SwaksAsync("--port", Port(RealServer.Mx), "--from", "a@elsewhere.example", "--to", RealServer.User,
                "--body", "@" + body);
            Assert.That(exit, Is.Not.Zero);
            Assert.That(output, Does.Contain("<** 552 5.3.4 "));
        }
        finally
        {
            File.Delete(body);
        }
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static Task<(int ExitCode, string Output)> SwaksAsync(params string[] args)
        => DebianTool.RunAsync("swaks", new[] { "--server", "127.0.0.1", "--helo", "client.example", "--suppress-data" }.Concat(args));
}
