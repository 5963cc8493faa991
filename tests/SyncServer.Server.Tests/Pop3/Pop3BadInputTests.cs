using System.Text;
using MailKit;
using SyncServer.Server.Tests.Imap;
using SyncServer.Server.Tests.Shared;

namespace SyncServer.Server.Tests.Pop3;

/// <summary>
/// Issue 4, bad input for POP3: 300 malformed command lines (seeded) before and after login. Each gets -ERR (an
/// overlong line may instead end the connection), the session keeps answering, and INBOX is unchanged.
/// </summary>
[NonParallelizable]
public sealed class Pop3BadInputTests
{
    private const int Lines = 300;
    private const int LinesPerSession = 30;

    private MailServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await MailServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task Three_hundred_malformed_lines_get_ERR_and_change_nothing()
    {
        using (var imap = await _server.ConnectAsync())
            for (var i = 0; i < 3; i++)
                await imap.Inbox.AppendAsync(new AppendRequest(TestMessages.Simple($"pop {i}", "body")));
        var before = await StoreSnapshot.TakeAsync(_server);
        var random = new Random(5);
        var sessions = Enumerable.Range(0, Lines).Select(i => Malformed(i, random)).Chunk(LinesPerSession).ToList();
        await Parallel.ForEachAsync(Enumerable.Range(0, sessions.Count), new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (n, _) => await RunSessionAsync(sessions[n], loggedIn: n % 2 == 1));

        Assert.That(_server.Stderr, Does.Not.Contain("fail:").And.Not.Contain("crit:"));
        Assert.That(await StoreSnapshot.TakeAsync(_server), Is.EqualTo(before), "the store is unchanged");
        await using var client = await OpenAsync(loggedIn: true);
        await client.SendAsync("STAT\r\n");
        Assert.That(await client.ReadLineAsync(), Does.StartWith("+OK 3 "));
    }

    private sealed record Case(int Index, string Kind, byte[] Bytes);

    private async Task RunSessionAsync(Case[] cases, bool loggedIn)
    {
        var client = await OpenAsync(loggedIn);
        try
        {
            foreach (var c in cases)
            {
                // CAPA answers in both states: its "+OK" and final "." close the answer to the line before it.
                await client.SendAsync([.. c.Bytes, .. "\r\nCAPA\r\n"u8]);
                var reply = await client.ReadLineAsync();
                if (reply is null)
                {
                    Assert.That(c.Kind, Is.EqualTo("overlong line"), $"case {c.Index} ({c.Kind}): only an overlong line may end the connection");
                    await client.DisposeAsync();
                    client = await OpenAsync(loggedIn);
                    continue;
                }
                Assert.That(reply, Does.StartWith("-ERR"), $"case {c.Index} ({c.Kind})");
                // Input the server split into more than one line gets more than one -ERR before CAPA's +OK.
                while (reply is not null && reply.StartsWith("-ERR", StringComparison.Ordinal))
                    reply = await client.ReadLineAsync();
                Assert.That(reply, Does.StartWith("+OK"), $"case {c.Index} ({c.Kind}): the CAPA after it");
                while (reply is not null and not ".")
                    reply = await client.ReadLineAsync();
            }
        }
        finally
        {
            await client.DisposeAsync();
        }
    }

    private async Task<RawLineClient> OpenAsync(bool loggedIn)
    {
        var client = await RawLineClient.ConnectAsync(_server.Pop3sPort, implicitTls: true);
        Assert.That(await client.ReadLineAsync(), Does.StartWith("+OK"));
        if (loggedIn)
        {
            await client.SendAsync($"USER {MailServer.User}\r\nPASS {MailServer.Password}\r\n");
            Assert.That(await client.ReadLineAsync(), Does.StartWith("+OK"));
            Assert.That(await client.ReadLineAsync(), Does.StartWith("+OK"));
        }
        return client;
    }

    private static Case Malformed(int i, Random random) => (i % 6) switch
    {
        0 => new(i, "random bytes", RandomLine(random, random.Next(1, 300))),
        1 => new(i, "overlong line", Ascii("NOOP " + new string('a', random.Next(1_000, 100_000)))),
        2 => new(i, "NULs", Ascii(Pick(random, "NO\0OP", "RETR \0", "\0\0\0", "LIST 1\0", "DELE 1\0"))),
        3 => new(i, "bad numbers", Ascii(Pick(random, "DELE 0", "DELE -1", "DELE 99999999999999999999", "RETR x", "RETR 99", "TOP 1", "TOP 1 -1", "TOP x 1", "LIST 1 2", "LIST 0", "UIDL abc", "UIDL 99"))),
        4 => new(i, "bad arguments", Ascii(Pick(random, "FROB", "STAT x", "NOOP x", "QUIT now", "RSET 1", "APOP", "PASS", "USER", "STLS extra", "CAPA x", "AUTH PLAIN x y", "TOP"))),
        _ => new(i, "random after a command", [.. Ascii(Pick(random, "LIST z", "RETR z", "DELE z", "UIDL z", "TOP z")), .. RandomLine(random, random.Next(1, 100))]),
    };

    private static byte[] RandomLine(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        for (var k = 0; k < bytes.Length; k++)
            if (bytes[k] is (byte)'\r' or (byte)'\n')
                bytes[k] = (byte)'x';
        return bytes;
    }

    private static string Pick(Random random, params string[] options) => options[random.Next(options.Length)];

    private static byte[] Ascii(string text) => Encoding.Latin1.GetBytes(text);
}
