using System.IO.Compression;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace SyncServer.Server.Tests.Shared;

/// <summary>A bare socket to a line-protocol listener (SMTP, POP3): send exact bytes, read reply lines, switch to TLS.</summary>
public sealed class RawLineClient : IAsyncDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpClient _tcp;
    private Stream _stream;
    private readonly List<byte> _pending = [];

    private RawLineClient(TcpClient tcp, Stream stream) => (_tcp, _stream) = (tcp, stream);

    public static async Task<RawLineClient> ConnectAsync(int port, bool implicitTls = false)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port);
        var client = new RawLineClient(tcp, tcp.GetStream());
        if (implicitTls)
            await client.StartTlsAsync();
        return client;
    }

    public Task SendAsync(string text, bool bytewise = false) => SendAsync(Encoding.UTF8.GetBytes(text), bytewise);

    public async Task SendAsync(byte[] bytes, bool bytewise = false)
    {
        if (!bytewise)
            await _stream.WriteAsync(bytes);
        else
            foreach (var b in bytes)
            {
                await _stream.WriteAsync(new[] { b });
                await _stream.FlushAsync();
            }
        await _stream.FlushAsync();
    }

    /// <summary>The next line without CRLF, or null when the server closed the connection.</summary>
    public async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        var buffer = new byte[4096];
        while (true)
        {
            var lf = _pending.IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var line = Encoding.UTF8.GetString(_pending.GetRange(0, lf).ToArray()).TrimEnd('\r');
                _pending.RemoveRange(0, lf + 1);
                return line;
            }
            int read;
            try
            {
                read = await _stream.ReadAsync(buffer, timeout.Token);
            }
            catch (IOException)
            {
                read = 0; // reset by the server counts as closed
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no reply line within {ReadTimeout}");
            }
            if (read == 0)
                return null;
            _pending.AddRange(buffer.AsSpan(0, read));
        }
    }

    /// <summary>Lines up to and including the first that starts with <paramref name="prefix"/> (an IMAP tag and space).</summary>
    public async Task<List<string>> ReadUntilAsync(string prefix)
    {
        var lines = new List<string>();
        while (await ReadLineAsync() is { } line)
        {
            lines.Add(line);
            if (line.StartsWith(prefix, StringComparison.Ordinal))
                return lines;
        }
        throw new IOException($"closed before a line starting with '{prefix}': {string.Join(" | ", lines)}");
    }

    /// <summary>All lines of one reply (<c>250-...</c> up to <c>250 ...</c>).</summary>
    public async Task<List<string>> ReadReplyAsync()
    {
        var lines = new List<string>();
        while (await ReadLineAsync() is { } line)
        {
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-')
                break;
        }
        return lines;
    }

    public async Task StartTlsAsync()
    {
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("localhost");
        _stream = tls;
    }

    /// <summary>Continues with raw DEFLATE both ways (IMAP COMPRESS, RFC 4978); every send ends in a sync flush.</summary>
    public void StartDeflate()
    {
        var inner = _stream;
        _stream = new SyncServer.Server.Shared.DuplexStream(
            new DeflateStream(inner, CompressionMode.Decompress, leaveOpen: true), new DeflateStream(inner, CompressionLevel.Fastest, leaveOpen: true));
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
