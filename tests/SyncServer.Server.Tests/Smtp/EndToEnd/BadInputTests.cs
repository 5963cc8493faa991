using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using SyncServer.Server.Tests.Shared;

namespace SyncServer.Server.Tests.Smtp.EndToEnd;

/// <summary>
/// Issue 3, bad input: 1,000 malformed sessions (seeded, so a failure replays) against the MX and submission
/// listeners of one server. It keeps serving, stores nothing of them and logs no failure.
/// </summary>
[NonParallelizable]
public sealed class BadInputTests
{
    private const string User = "erin@example.org";
    private const int Cases = 1000;
    private const string Envelope = "EHLO fuzz.example\r\nMAIL FROM:<s@remote.example>\r\nRCPT TO:<" + User + ">\r\n";

    [Test]
    public async Task A_thousand_malformed_sessions_leave_the_server_serving_and_the_store_unchanged()
    {
        await using var serve = await SmtpServe.StartAsync(User);
        var before = (await serve.AllItemsAsync()).Count;
        var changesBefore = await ChangeCountersAsync(serve);
        var random = new Random(3);
        var cases = Enumerable.Range(0, Cases).Select(i => Malformed(i, random)).ToList();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (c, _) =>
            await RunAsync(c.Submission ? serve.Submission : serve.Mx, c));

        Assert.That(serve.HasExited, Is.False, serve.Stderr);
        Assert.That(await serve.AllItemsAsync(), Has.Count.EqualTo(before), "nothing of the malformed sessions is stored");
        Assert.That(await ChangeCountersAsync(serve), Is.EqualTo(changesBefore), "no change was logged");
        Assert.That(serve.Stderr, Does.Not.Contain("fail:").And.Not.Contain("crit:"));

        await using var client = await RawLineClient.ConnectAsync(serve.Mx);
        Assert.That(await client.ReadLineAsync(), Does.StartWith("220 "));
        await client.SendAsync(Envelope + "DATA\r\nSubject: still here\r\n\r\nafter the fuzz\r\n.\r\nQUIT\r\n");
        var replies = new List<string>();
        while (await client.ReadLineAsync() is { } line)
            replies.Add(line);
        Assert.That(replies, Does.Contain("250 2.0.0 Message accepted"));
        Assert.That(await serve.AllItemsAsync(), Has.Count.EqualTo(before + 1));
    }

    /// <summary>One malformed session: its bytes, and whether it goes to submission (after STARTTLS) or the MX.</summary>
    private sealed record Case(int Index, string Kind, byte[] Bytes, bool Submission = false);

    /// <summary>Each account's change counter (its modseq): any store write moves it.</summary>
    private static async Task<Dictionary<string, long>> ChangeCountersAsync(SmtpServe serve)
    {
        await using var opened = await serve.OpenStoreAsync();
        return (await opened.Directory.ListAccountsAsync(null, CancellationToken.None)).ToDictionary(a => a.Address, a => a.ModSeq.Value);
    }

    private static Case Malformed(int i, Random random) => (i % 9) switch
    {
        0 => new(i, "random bytes", Bytes(random, random.Next(1, 4000))),
        1 => new(i, "random bytes after EHLO", [.. Ascii("EHLO fuzz.example\r\n"), .. Bytes(random, random.Next(1, 4000))]),
        2 => new(i, "overlong line", Ascii(random.Next(2) == 0
            ? "EHLO " + new string('a', random.Next(1000, 70000)) + "\r\n"
            : "EHLO x\r\nMAIL FROM:<" + new string('b', random.Next(300, 70000)) + "@remote.example>\r\n")),
        3 => new(i, "NULs in commands", Ascii("EHLO fu\0zz\r\nMAIL FROM:<s\0@remote.example>\r\nRCPT TO:<erin\0@example.org>\r\n\0\0\0\r\n")),
        4 => new(i, "bare LF commands", Ascii($"EHLO x\nMAIL FROM:<s@remote.example>\nRCPT TO:<{User}>\nDATA\nSubject: bare\n\nbody\n.\n")),
        // A bare LF first: whatever the random bytes hold, the message is refused (RFC 5321 §2.3.8).
        5 => new(i, "body with bare LF and NULs", [.. Ascii(Envelope + "DATA\r\nx\n\0"), .. Bytes(random, random.Next(0, 4000)), .. Ascii("\r\n.\r\n")]),
        6 => new(i, "broken BDAT", BrokenBdat(random)),
        // RFC 3207 §5: whatever follows STARTTLS in the same write is refused; garbage must not reach a TLS handshake.
        7 => new(i, "pipelined garbage after STARTTLS", [.. Ascii("EHLO fuzz.example\r\nSTARTTLS\r\n"), .. Bytes(random, random.Next(1, 2000))]),
        _ => new(i, "bad base64 in AUTH", Ascii(BadAuth(random)), Submission: true),
    };

    private static byte[] BrokenBdat(Random random)
    {
        var chunk = Bytes(random, random.Next(1, 500));
        var command = random.Next(5) switch
        {
            0 => $"BDAT {chunk.Length + random.Next(1, 10000)} LAST\r\n", // more announced than sent, then the client goes away
            1 => $"BDAT {chunk.Length / 2 + 1}\r\n", // less announced: the rest is read as commands
            2 => "BDAT -1 LAST\r\n",
            3 => "BDAT 99999999999999999999999 LAST\r\n",
            _ => "BDAT 1x LAST\r\n",
        };
        return [.. Ascii(Envelope + command), .. chunk];
    }

    private static string BadAuth(Random random)
    {
        var garbage = new string(Enumerable.Range(0, random.Next(1, 200)).Select(_ => "!@#$%^&*()=-_ .:;~"[random.Next(18)]).ToArray());
        return random.Next(3) switch
        {
            0 => $"EHLO x\r\nAUTH PLAIN {garbage}\r\n",
            1 => $"EHLO x\r\nAUTH LOGIN\r\n{garbage}\r\n",
            _ => $"EHLO x\r\nAUTH PLAIN\r\n{garbage}\r\n",
        };
    }

    /// <summary>Sends the case's bytes, ends the sending side, and reads until the server closes the connection.</summary>
    private static async Task RunAsync(int port, Case c)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port);
        Stream stream = tcp.GetStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        if (c.Submission)
            stream = await StartTlsAsync(stream, timeout.Token);
        try
        {
            await stream.WriteAsync(c.Bytes, timeout.Token);
            if (stream is SslStream tls)
                await tls.ShutdownAsync();
            tcp.Client.Shutdown(SocketShutdown.Send);
        }
        catch (IOException)
        {
            // The server closed first (too many errors, or a line too long): that is an answer too.
        }
        try
        {
            var buffer = new byte[4096];
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (IOException)
        {
            // Reset instead of closed.
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"case {c.Index} ({c.Kind}): the server did not close the connection");
        }
    }

    private static async Task<Stream> StartTlsAsync(Stream stream, CancellationToken cancellationToken)
    {
        // The server sends nothing after its 220 until the handshake, so the reader's buffer takes nothing of TLS.
        var reader = new StreamReader(stream, Encoding.Latin1);
        await stream.WriteAsync(Ascii("EHLO fuzz.example\r\nSTARTTLS\r\n"), cancellationToken);
        // The greeting, the EHLO reply's lines, then 220 ready for TLS.
        while (await reader.ReadLineAsync(cancellationToken) is { } line && !line.StartsWith("220 2.0.0", StringComparison.Ordinal))
        {
        }
        var tls = new SslStream(stream, leaveInnerStreamOpen: true, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("localhost");
        return tls;
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Ascii(string text) => Encoding.Latin1.GetBytes(text);
}
