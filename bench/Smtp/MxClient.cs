using System.Net.Sockets;
using System.Text;

namespace SyncServer.Bench.Smtp;

/// <summary>
/// A plain SMTP client for the MX path: one command, one reply, as a sending MTA without PIPELINING does. Lean on
/// purpose, so the client costs little of the two shared cores next to the servers it measures.
/// </summary>
public sealed class MxClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly StreamReader _replies;

    private MxClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _replies = new StreamReader(_stream, Encoding.Latin1, false, 4096);
    }

    /// <summary>Connects, reads the greeting and says EHLO.</summary>
    public static async Task<MxClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port);
        var client = new MxClient(tcp);
        await client.ExpectAsync(220);
        await client.CommandAsync("EHLO bench.client.test", 250);
        return client;
    }

    /// <summary>One transaction: MAIL, RCPT, DATA, then <paramref name="header"/>, <paramref name="body"/> (written <paramref name="repeat"/> times) and the final dot.</summary>
    public async Task SendAsync(string recipient, byte[] header, ReadOnlyMemory<byte> body, int repeat = 1)
    {
        await CommandAsync("MAIL FROM:<bench@client.test>", 250);
        await CommandAsync($"RCPT TO:<{recipient}>", 250);
        await CommandAsync("DATA", 354);
        await _stream.WriteAsync(header);
        for (var i = 0; i < repeat; i++)
            await _stream.WriteAsync(body);
        await _stream.WriteAsync(".\r\n"u8.ToArray());
        await ExpectAsync(250);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CommandAsync("QUIT", 221);
        }
        catch (IOException)
        {
        }
        _replies.Dispose();
        _tcp.Dispose();
    }

    private async Task CommandAsync(string command, int expected)
    {
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
        await ExpectAsync(expected);
    }

    /// <summary>Reads one reply (all its lines); anything but <paramref name="expected"/> ends the benchmark.</summary>
    private async Task ExpectAsync(int expected)
    {
        string? line;
        do
            line = await _replies.ReadLineAsync() ?? throw new IOException("the server closed the connection");
        while (line.Length > 3 && line[3] == '-');
        if (!line.StartsWith(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))
            throw new InvalidOperationException($"expected {expected}, got: {line}");
    }
}
