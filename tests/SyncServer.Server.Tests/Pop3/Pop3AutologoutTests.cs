using SyncServer.Server.Tests.Shared;
using SyncServer.Server.Tests.Smtp;

namespace SyncServer.Server.Tests.Pop3;

/// <summary>RFC 1939 §3: the autologout timer (10 minutes of inactivity), driven by the host's fake clock.</summary>
[NonParallelizable]
public sealed class Pop3AutologoutTests
{
    private SmtpTestHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await SmtpTestHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task An_idle_session_is_closed_after_ten_minutes_and_not_before()
    {
        await using var client = await RawLineClient.ConnectAsync(_host.Ports.Pop3s, implicitTls: true);
        Assert.That(await client.ReadLineAsync(), Does.StartWith("+OK"));
        await AdvanceWhileWaitingAsync(TimeSpan.FromMinutes(9));
        await client.SendAsync("USER " + SmtpTestHost.User + "\r\n");
        Assert.That(await client.ReadLineAsync(), Does.StartWith("+OK"), "activity restarts the timer");
        await AdvanceWhileWaitingAsync(TimeSpan.FromMinutes(10));
        Assert.That(await client.ReadLineAsync(), Is.Null);
    }

    // The session must be waiting in its read before the clock moves, or the timer would start after the jump.
    private async Task AdvanceWhileWaitingAsync(TimeSpan timeout)
    {
        await Task.Delay(200);
        _host.Time.Advance(timeout + TimeSpan.FromSeconds(1));
    }
}
