using System.Net.Sockets;
using SyncServer.Core.Delivery;
using SyncServer.Server.Hosting;

namespace SyncServer.Server.Filters;

/// <summary>
/// One filter daemon on a TCP <c>host:port</c>: a connection per message, a connect timeout and a timeout for the
/// whole exchange. Any failure to get an answer (refused, reset, timed out, malformed) is logged and becomes a
/// <see cref="FilterUnavailableException"/>, which delivery answers as <c>Filters:FailMode</c> says.
/// </summary>
internal sealed class FilterDaemon(string name, string endpoint, FilterSettings settings, TimeProvider time, ILogger logger)
{
    /// <summary>Replies longer than this are not a daemon's answer.</summary>
    public const int MaxReply = 64 * 1024;

    public async Task<T> ExchangeAsync<T>(Func<NetworkStream, CancellationToken, Task<T>> exchange, CancellationToken cancellationToken)
    {
        QueueSettings.TryParseSmartHost(endpoint, out var host, out var port);
        using var timer = new CancellationTokenSource(settings.TimeoutSpan, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            using var client = new TcpClient { NoDelay = true };
            using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(linked.Token))
            {
                connecting.CancelAfter(settings.ConnectTimeoutSpan);
                await client.ConnectAsync(host, port, connecting.Token);
            }
            await using var stream = client.GetStream();
            return await exchange(stream, linked.Token);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or InvalidDataException
                                  && !cancellationToken.IsCancellationRequested)
        {
            var error = e is OperationCanceledException ? "timed out" : e.Message;
            Log.Unavailable(logger, name, endpoint, error, settings.FailMode == FilterFailMode.Open
                ? "delivering without its verdict (Filters:FailMode open)"
                : "deferring mail with 451 4.7.1 (Filters:FailMode closed)");
            throw new FilterUnavailableException($"{name} at {endpoint}: {error}", e);
        }
    }

    /// <summary>The start of a daemon's reply as it may appear in a log line: its first line, printable ASCII, at most 200 characters.</summary>
    public static string FirstLine(string reply)
        => new(reply.TakeWhile(c => c is not '\r' and not '\n').Take(200).Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());

    /// <summary>Reads the reply up to the end of the stream, or up to <paramref name="terminator"/> when the protocol has one.</summary>
    public static async Task<byte[]> ReadReplyAsync(NetworkStream stream, byte? terminator, CancellationToken cancellationToken)
    {
        var reply = new MemoryStream();
        var buffer = new byte[4096];
        while (true)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
                return reply.ToArray();
            var end = terminator is { } t ? Array.IndexOf(buffer, t, 0, read) : -1;
            reply.Write(buffer, 0, end >= 0 ? end : read);
            if (end >= 0)
                return reply.ToArray();
            if (reply.Length > MaxReply)
                throw new InvalidDataException("reply too long");
        }
    }
}
