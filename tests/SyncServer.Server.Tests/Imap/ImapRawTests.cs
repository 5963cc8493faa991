using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using SyncServer.Server.Tests.Shared;

namespace SyncServer.Server.Tests.Imap;

/// <summary>Raw-socket exchanges MailKit never sends: pipelining, literals, non-PEEK fetches, STARTTLS injection.</summary>
[NonParallelizable]
public sealed class ImapRawTests
{
    private MailServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await MailServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task Commands_pipelined_behind_STARTTLS_end_the_connection()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", _server.ImapPort);
        var stream = tcp.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await reader.ReadLineAsync();
        await stream.WriteAsync("a STARTTLS\r\nb NOOP\r\n"u8.ToArray());
        Assert.That(await reader.ReadLineAsync(), Does.StartWith("* BYE"));
        Assert.That(await reader.ReadLineAsync(), Is.Null, "closed");
    }

    [Test]
    public async Task Pipelined_append_with_literals_then_fetch_sets_Seen()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", _server.ImapsPort);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("localhost");
        using var reader = new StreamReader(tls, Encoding.ASCII);
        await reader.ReadLineAsync();
        var message = "Subject: raw\r\n\r\nhello\r\n";
        // LITERAL+ lets the whole exchange go out at once; the responses must come back in order.
        await tls.WriteAsync(Encoding.ASCII.GetBytes(
            $"a LOGIN {{{MailServer.User.Length}+}}\r\n{MailServer.User} \"{MailServer.Password}\"\r\n" +
            "b CREATE Raw\r\n" +
            $"c APPEND Raw (\\Flagged) {{{message.Length}+}}\r\n{message}\r\n" +
            "d SELECT Raw\r\n" +
            "e FETCH 1 (FLAGS BODY[TEXT])\r\n" +
            "f FETCH 1 (FLAGS)\r\n" +
            "g LOGOUT\r\n"));
        var transcript = await reader.ReadToEndAsync();
        Assert.That(transcript, Does.Contain("a OK [CAPABILITY"));
        Assert.That(transcript, Does.Contain("b OK CREATE completed"));
        Assert.That(transcript, Does.Match(@"c OK \[APPENDUID \d+ 1\]"));
        Assert.That(transcript, Does.Contain("* 1 EXISTS").And.Contain("d OK [READ-WRITE]"));
        Assert.That(transcript, Does.Contain("BODY[TEXT] {7}\r\nhello\r\n").And.Contain("FLAGS (\\Seen \\Flagged)"));
        Assert.That(transcript, Does.Contain("* 1 FETCH (FLAGS (\\Seen \\Flagged))"));
        Assert.That(transcript, Does.Contain("* BYE").And.EndWith("g OK LOGOUT completed\r\n"));
    }
}
