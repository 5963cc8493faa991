using System.Net;
using System.Text;
using SyncServer.Core.Delivery;
using SyncServer.Server.Smtp;
using SyncServer.Server.Tests.Shared;

namespace SyncServer.Server.Tests.Smtp;

/// <summary>What a transcript cannot show: what reaches the delivery target, limits, timeouts and throttling.</summary>
[Parallelizable(ParallelScope.None)]
public sealed class SmtpSessionTests
{
    private SmtpTestHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await SmtpTestHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task Data_reaches_the_delivery_unstuffed_with_origin_and_dsn_parameters()
    {
        await using var client = await GreetedAsync(SmtpListenerKind.Mx);
        await SayAsync(client, "MAIL FROM:<s@elsewhere.example> RET=HDRS ENVID=QQ314159", "250 2.1.0 Sender OK");
        await SayAsync(client, "RCPT TO:<bob@example.org> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;Bob+2B@example.org", "250 2.1.5 recipient ok");
        await SayAsync(client, "DATA", "354 *");
        await SayAsync(client, "Subject: x\r\n\r\n..dot\r\nline\r\n.", "250 2.0.0 Message accepted");

        var message = _host.Delivery.Messages.Last();
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.ASCII.GetString(message.Body), Is.EqualTo("Subject: x\r\n\r\n.dot\r\nline\r\n"));
            Assert.That(message.IsCommitted && message.IsDisposed, Is.True);
            Assert.That(message.MailFrom, Is.EqualTo("s@elsewhere.example"));
            Assert.That(message.Dsn, Is.EqualTo(new DsnEnvelope(false, "QQ314159")));
            Assert.That(message.Recipients.Single().Dsn, Is.EqualTo(new DsnRecipient(false, true, false, true, "rfc822;Bob+@example.org")));
            Assert.That(message.Origin, Is.EqualTo(new DeliveryOrigin(DeliveryChannel.Mx, IPAddress.Loopback, "client.example", null, false)));
        });
    }

    [Test]
    public async Task Authenticated_submission_over_smtps_records_the_account_and_tls()
    {
        await using var client = await GreetedAsync(SmtpListenerKind.Smtps);
        await SayAsync(client, "AUTH PLAIN " + Plain(SmtpTestHost.User, SmtpTestHost.Password), "235 2.7.0 *");
        await SayAsync(client, "MAIL FROM:<bob@example.org>", "250 *");
        await SayAsync(client, "RCPT TO:<x@elsewhere.example>", "250 *");
        await SayAsync(client, "BDAT 4 LAST\r\nhi\r\n", "250 2.0.0 Message accepted");

        var message = _host.Delivery.Messages.Last();
        Assert.That(message.Origin, Is.EqualTo(new DeliveryOrigin(DeliveryChannel.Submission, IPAddress.Loopback, "client.example", SmtpTestHost.User, true)));
        Assert.That(message.Body, Is.EqualTo("hi\r\n"u8.ToArray()));
    }

    [Test]
    public async Task Message_over_the_size_limit_is_read_to_its_end_refused_and_not_committed()
    {
        await using var client = await TransactionAsync();
        await SayAsync(client, "DATA", "354 *");
        var line = new string('x', 998) + "\r\n";
        var body = new StringBuilder().Insert(0, line, (int)(SmtpTestHost.MaxMessageSize / line.Length) + 1);
        await SayAsync(client, body + ".", "552 5.3.4 *");
        await SayAsync(client, "NOOP", "250 2.0.0 OK"); // the session goes on after the refused message

        var message = _host.Delivery.Messages.Last();
        Assert.That(message.IsCommitted, Is.False);
        Assert.That(message.IsDisposed, Is.True);
    }

    [Test]
    public async Task Bare_line_feed_in_data_is_refused()
    {
        await using var client = await TransactionAsync();
        await SayAsync(client, "DATA", "354 *");
        await SayAsync(client, "a\nb\r\n.", "554 5.6.0 *");
        Assert.That(_host.Delivery.Messages.Last().IsCommitted, Is.False);
    }

    [TestCase(new[] { "bob@example.org", "full@example.org" }, "250 2.0.0 Message accepted")]
    [TestCase(new[] { "full@example.org" }, "552 5.2.2 mailbox full")]
    public async Task One_reply_after_data_for_all_recipients(string[] recipients, string expected)
    {
        await using var client = await GreetedAsync(SmtpListenerKind.Mx);
        await SayAsync(client, "MAIL FROM:<s@elsewhere.example>", "250 *");
        foreach (var recipient in recipients)
            await SayAsync(client, $"RCPT TO:<{recipient}>", "250 *");
        await SayAsync(client, "DATA", "354 *");
        await SayAsync(client, "x\r\n.", expected);
    }

    [Test]
    public async Task Recipients_beyond_the_limit_get_452_and_the_transaction_goes_on()
    {
        await using var client = await GreetedAsync(SmtpListenerKind.Mx);
        await SayAsync(client, "MAIL FROM:<s@elsewhere.example>", "250 *");
        var commands = string.Concat(Enumerable.Range(0, 130).Select(i => $"RCPT TO:<r{i}@example.org>\r\n"));
        await client.SendAsync(commands);
        for (var i = 0; i < 100; i++)
            Assert.That(await client.ReadLineAsync(), Does.StartWith("250 "));
        for (var i = 0; i < 30; i++)
            Assert.That(await client.ReadLineAsync(), Is.EqualTo("452 4.5.3 too many recipients"));
        await SayAsync(client, "DATA", "354 *"); // the refusals do not count towards the error limit
        await SayAsync(client, "x\r\n.", "250 2.0.0 Message accepted");
        Assert.That(_host.Delivery.Messages.Last().Recipients, Has.Count.EqualTo(100));
    }

    [Test]
    public async Task Sessions_per_address_are_limited()
    {
        await Task.Delay(200); // sessions of earlier tests end asynchronously on the server side
        var open = new List<RawLineClient>();
        for (var i = 0; i < 5; i++)
            open.Add(await GreetedAsync(SmtpListenerKind.Mx));
        await using (var refused = await RawLineClient.ConnectAsync(_host.Ports.Smtp))
        {
            Assert.That(await refused.ReadLineAsync(), Does.StartWith("421 4.7.0 "));
            Assert.That(await refused.ReadLineAsync(), Is.Null);
        }
        await open[0].SendAsync("QUIT\r\n");
        Assert.That(await open[0].ReadLineAsync(), Does.StartWith("221 "));
        Assert.That(await open[0].ReadLineAsync(), Is.Null);
        foreach (var client in open)
            await client.DisposeAsync();
        await using var again = await GreetedAsync(SmtpListenerKind.Mx);
    }

    [Test]
    public async Task Idle_session_times_out_after_five_minutes()
    {
        await using var client = await GreetedAsync(SmtpListenerKind.Mx);
        await AdvanceWhileWaitingAsync(TimeSpan.FromMinutes(5));
        Assert.That(await client.ReadLineAsync(), Does.StartWith("421 4.4.2 "));
        Assert.That(await client.ReadLineAsync(), Is.Null);
    }

    [Test]
    public async Task Stalled_data_times_out_after_three_minutes_and_nothing_is_committed()
    {
        await using var client = await TransactionAsync();
        await SayAsync(client, "DATA", "354 *");
        await client.SendAsync("half a line");
        await AdvanceWhileWaitingAsync(TimeSpan.FromMinutes(3));
        Assert.That(await client.ReadLineAsync(), Does.StartWith("421 4.4.2 "));
        Assert.That(_host.Delivery.Messages.Last().IsCommitted, Is.False);
    }

    [Test]
    public async Task Failed_logins_lock_the_account_with_454()
    {
        await using var client = await GreetedAsync(SmtpListenerKind.Smtps);
        for (var i = 0; i < 5; i++)
            await SayAsync(client, "AUTH PLAIN " + Plain(SmtpTestHost.OtherUser, "wrong"), "535 5.7.8 *");
        await SayAsync(client, "AUTH PLAIN " + Plain(SmtpTestHost.OtherUser, SmtpTestHost.Password), "454 4.7.0 *");
        _host.Time.Advance(TimeSpan.FromHours(2)); // unlock for the other tests
    }

    [Test]
    public async Task Connection_lost_mid_data_commits_nothing()
    {
        var client = await TransactionAsync();
        await SayAsync(client, "DATA", "354 *");
        await client.SendAsync("Subject: cut\r\n\r\npartial");
        var message = _host.Delivery.Messages.Last();
        await client.DisposeAsync();
        for (var i = 0; i < 100 && !message.IsDisposed; i++)
            await Task.Delay(20);
        Assert.That(message.IsDisposed, Is.True);
        Assert.That(message.IsCommitted, Is.False);
    }

    [Test]
    public async Task Host_shutdown_tells_idle_sessions_421_at_once()
    {
        var host = await SmtpTestHost.StartAsync();
        await using var client = await RawLineClient.ConnectAsync(host.Ports.Smtp);
        Assert.That(await client.ReadLineAsync(), Does.StartWith("220 "));
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        var stop = host.DisposeAsync().AsTask();
        Assert.That(await client.ReadLineAsync(), Is.EqualTo("421 4.3.2 Server shutting down, try again later"));
        await stop;
        Assert.That(stopping.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
    }

    private async Task<RawLineClient> GreetedAsync(SmtpListenerKind kind)
    {
        var client = await RawLineClient.ConnectAsync(_host.Port(kind), implicitTls: kind == SmtpListenerKind.Smtps);
        Assert.That(await client.ReadLineAsync(), Does.StartWith("220 "));
        await client.SendAsync("EHLO client.example\r\n");
        Assert.That((await client.ReadReplyAsync()).Last(), Does.StartWith("250 "));
        return client;
    }

    private async Task<RawLineClient> TransactionAsync()
    {
        var client = await GreetedAsync(SmtpListenerKind.Mx);
        await SayAsync(client, "MAIL FROM:<s@elsewhere.example>", "250 *");
        await SayAsync(client, "RCPT TO:<bob@example.org>", "250 *");
        return client;
    }

    private static async Task SayAsync(RawLineClient client, string command, string expected)
    {
        await client.SendAsync(command + "\r\n");
        var reply = (await client.ReadReplyAsync()).LastOrDefault();
        var pattern = "^" + System.Text.RegularExpressions.Regex.Escape(expected).Replace(@"\*", ".*", StringComparison.Ordinal) + "$";
        Assert.That(reply, Does.Match(pattern), $"after {command[..Math.Min(command.Length, 40)]}");
    }

    // The server arms its read timer after flushing the previous reply; give it a moment before moving the clock.
    private async Task AdvanceWhileWaitingAsync(TimeSpan timeout)
    {
        await Task.Delay(200);
        _host.Time.Advance(timeout + TimeSpan.FromSeconds(1));
    }

    private static string Plain(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0{password}"));
}
