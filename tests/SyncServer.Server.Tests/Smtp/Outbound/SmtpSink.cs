using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SyncServer.Server.Tests.Smtp.Outbound;

/// <summary>
/// A throwaway SMTP server on a loopback port acting as a remote mail exchanger. Each RCPT is answered as the
/// test scripts it; every command line and every accepted message is recorded. Plain text only (no STARTTLS),
/// so the client's opportunistic TLS goes on in the clear as it should.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public SmtpSink()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The reply to <c>RCPT TO:&lt;address&gt;</c>; 250 unless scripted otherwise.</summary>
    public Func<string, string> RcptReply { get; set; } = _ => "250 2.1.5 ok";

    public ConcurrentQueue<string> Commands { get; } = new();
    public ConcurrentQueue<SinkMessage> Messages { get; } = new();

    public sealed record SinkMessage(string MailFrom, IReadOnlyList<string> Recipients, string Data);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var sessions = new List<Task>();
        try
        {
            while (true)
                sessions.Add(ServeAsync(await _listener.AcceptTcpClientAsync(_stop.Token)));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        await Task.WhenAll(sessions);
    }

    private async Task ServeAsync(TcpClient connection)
    {
        using var _ = connection;
        var stream = connection.GetStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
        try
        {
            await writer.WriteLineAsync("220 sink.test ESMTP");
            string mailFrom = "";
            var recipients = new List<string>();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                Commands.Enqueue(line);
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteAsync("250-sink.test\r\n250-8BITMIME\r\n250-DSN\r\n250 ENHANCEDSTATUSCODES\r\n");
                        break;
                    case "MAIL":
                        (mailFrom, recipients) = (PathOf(line), []);
                        await writer.WriteLineAsync("250 2.1.0 ok");
                        break;
                    case "RCPT":
                        var reply = RcptReply(PathOf(line));
                        if (reply.StartsWith('2'))
                            recipients.Add(PathOf(line));
                        await writer.WriteLineAsync(reply);
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 go ahead");
                        Messages.Enqueue(new SinkMessage(mailFrom, recipients, await ReadDataAsync(reader)));
                        await writer.WriteLineAsync("250 2.0.0 queued as sink");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 2.0.0 bye");
                        return;
                    case "RSET" or "NOOP":
                        await writer.WriteLineAsync("250 2.0.0 ok");
                        break;
                    default:
                        await writer.WriteLineAsync("502 5.5.1 not implemented");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
        }
    }

    private async Task<string> ReadDataAsync(StreamReader reader)
    {
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(_stop.Token) is { } line && line != ".")
            data.Append(line.StartsWith('.') ? line[1..] : line).Append("\r\n");
        return data.ToString();
    }

    private static string PathOf(string command)
    {
        var start = command.IndexOf('<') + 1;
        return command[start..command.IndexOf('>', start)];
    }
}
