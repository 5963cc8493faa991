using System.Diagnostics;
using SyncServer.Server.Tests.Shared;

namespace SyncServer.Server.Tests.Imap;

/// <summary>
/// RFC 9051 §7.1.5: a server that stops says BYE to its IMAP sessions, idle or IDLEing, and closes them; POP3
/// sessions are closed (POP3 has no unsolicited response). So <c>serve</c> exits on SIGTERM without waiting for
/// Kestrel's shutdown timeout (30 s) to abort the connections.
/// </summary>
public sealed class ImapShutdownTests
{
    [Test]
    public async Task Sigterm_says_BYE_to_idle_and_IDLEing_sessions_closes_POP3_and_the_server_exits_promptly()
    {
        await using var server = await MailServer.StartAsync();
        await using var idle = await server.ConnectRawImapAsync();
        await using var idling = await server.ConnectRawImapAsync();
        await idling.SendAsync("s SELECT INBOX\r\n");
        Assert.That((await idling.ReadUntilAsync("s "))[^1], Does.StartWith("s OK"));
        await idling.SendAsync("i IDLE\r\n");
        Assert.That(await idling.ReadLineAsync(), Does.StartWith("+ "));
        await using var pop3 = await RawLineClient.ConnectAsync(server.Pop3sPort, implicitTls: true);
        Assert.That(await pop3.ReadLineAsync(), Does.StartWith("+OK"));
        await pop3.SendAsync($"USER {MailServer.User}\r\nPASS {MailServer.Password}\r\n");
        Assert.That(await pop3.ReadLineAsync(), Does.StartWith("+OK"));
        Assert.That(await pop3.ReadLineAsync(), Does.StartWith("+OK"));

        var clock = Stopwatch.StartNew();
        var exit = server.StopAsync(TimeSpan.FromSeconds(60));
        foreach (var imap in new[] { idle, idling })
        {
            Assert.That(await imap.ReadLineAsync(), Is.EqualTo("* BYE Server shutting down"));
            Assert.That(await imap.ReadLineAsync(), Is.Null, "closed after BYE");
        }
        Assert.That(await pop3.ReadLineAsync(), Is.Null, "POP3 closed");
        Assert.That(await exit, Is.Zero);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "exited well before Kestrel's 30 s shutdown timeout");
    }
}
