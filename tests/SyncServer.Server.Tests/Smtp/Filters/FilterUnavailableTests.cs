using System.Net;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using SyncServer.Core.Model;
using SyncServer.Server.Tests.Cli;
using SyncServer.Server.Tests.Smtp.EndToEnd;
using SyncServer.Server.Tests.Smtp.Outbound;
using static SyncServer.Server.Tests.Smtp.Filters.SpamAndVirusFilterTests;

namespace SyncServer.Server.Tests.Smtp.Filters;

/// <summary>
/// Issue 3 item 8, daemon down: <c>serve</c> configured with a spamd and a clamd that are not running (nothing listens
/// on their ports), or that accept and never answer. Fail-closed defers with 451 4.7.1 and stores nothing; fail-open
/// delivers without the filters' headers and logs a warning.
/// </summary>
[NonParallelizable]
public sealed class FilterUnavailableTests
{
    private const string User = "bob@example.org";

    private DnsFixture _dns = null!;
    private TcpListener _silent = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _dns = new DnsFixture();
        _silent = new TcpListener(IPAddress.Loopback, 0); // accepts (the kernel's backlog) and never answers: a hung daemon
        _silent.Start();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _silent.Dispose();
        _dns.Dispose();
    }

    private Task<SmtpServe> ServeAsync(string failMode, string spamd, string clamd)
        => SmtpServe.StartAsync(new Dictionary<string, string>
        {
            ["SYNCSERVER__DNS__SERVER"] = _dns.Server,
            ["SYNCSERVER__FILTERS__SPAM__SPAMD"] = spamd,
            ["SYNCSERVER__FILTERS__VIRUS__CLAMD"] = clamd,
            ["SYNCSERVER__FILTERS__FAILMODE"] = failMode,
            ["SYNCSERVER__FILTERS__TIMEOUT"] = "3s",
        }, User);

    private static string Stopped => $"127.0.0.1:{ServerProcess.FreePort()}";

    private string Hung => $"127.0.0.1:{((IPEndPoint)_silent.LocalEndpoint).Port}";

    [Test]
    public async Task Stopped_daemons_fail_closed_with_451_4_7_1_and_nothing_is_stored()
    {
        await using var serve = await ServeAsync("closed", Stopped, Stopped);
        var message = Message("While the filters are down", "Hello.");
        var deferred = Assert.ThrowsAsync<SmtpCommandException>(() => SendAsync(serve.Mx, message));
        Assert.That(((int)deferred!.StatusCode, deferred.Message), Is.EqualTo((451, "4.7.1 content filter unavailable, try again later")));
        Assert.That(Stored(await serve.InboxAsync(User), message), Is.Empty);
        Assert.That(serve.Stderr, Does.Contain("clamd at 127.0.0.1:").And.Contain("deferring mail with 451 4.7.1"));
    }

    [Test]
    public async Task Stopped_daemons_fail_open_into_INBOX_without_filter_headers_and_a_warning_is_logged()
    {
        await using var serve = await ServeAsync("open", Stopped, Stopped);
        var message = Message("While the filters are down", "Hello.");
        await SendAsync(serve.Mx, message);
        var stored = Single(await serve.InboxAsync(User), message);
        Assert.That(stored, Does.Not.Contain("X-Spam-").And.Not.Contain("X-Virus-Scanned"));
        Assert.That(serve.Stderr, Does.Contain("spamd at 127.0.0.1:").And.Contain("delivering without its verdict"));
    }

    [Test]
    public async Task Hung_daemon_times_out_and_fails_closed_with_451_4_7_1()
    {
        await using var serve = await ServeAsync("closed", Hung, Hung);
        var message = Message("While the filters hang", "Hello.");
        var deferred = Assert.ThrowsAsync<SmtpCommandException>(() => SendAsync(serve.Mx, message));
        Assert.That((int)deferred!.StatusCode, Is.EqualTo(451));
        Assert.That(serve.Stderr, Does.Contain("(timed out)"));
        Assert.That((await serve.MailboxAsync(User, CollectionRole.Junk)).Count + (await serve.InboxAsync(User)).Count, Is.Zero);
    }
}
