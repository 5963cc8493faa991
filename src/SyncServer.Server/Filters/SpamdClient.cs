using System.Globalization;
using System.Net.Sockets;
using System.Text;
using SyncServer.Core.Delivery;

namespace SyncServer.Server.Filters;

/// <summary>
/// SpamAssassin's spamd over the SPAMC protocol (spamd(1p), "PROTOCOL" in the SpamAssassin sources): one
/// <c>SYMBOLS</c> request per message, answered with the score (<c>Spam: True ; 1004.2 / 5.0</c>) and the names of
/// the rules that matched. The message is streamed from the spool, never held in memory.
/// </summary>
internal sealed class SpamdClient(FilterDaemon daemon, ILogger logger) : ISpamClassifier
{
    public Task<SpamReport> ClassifyAsync(Stream message, CancellationToken cancellationToken)
        => daemon.ExchangeAsync(async (stream, ct) =>
        {
            var request = string.Create(CultureInfo.InvariantCulture, $"SYMBOLS SPAMC/1.5\r\nContent-length: {message.Length}\r\n\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request), ct);
            await message.CopyToAsync(stream, ct);
            stream.Socket.Shutdown(SocketShutdown.Send);
            var report = Parse(Encoding.ASCII.GetString(await FilterDaemon.ReadReplyAsync(stream, terminator: null, ct)));
            Log.SpamScored(logger, report.Score, string.Join(',', report.Symbols));
            return report;
        }, cancellationToken);

    /// <summary>
    /// <c>SPAMD/1.1 0 EX_OK</c>, headers up to an empty line (one of them <c>Spam: True|False ; score / threshold</c>),
    /// then the matched rules separated by commas. Any other shape, or a status other than 0, is an
    /// <see cref="InvalidDataException"/>.
    /// </summary>
    public static SpamReport Parse(string reply)
    {
        var split = reply.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var lines = (split < 0 ? reply : reply[..split]).Split("\r\n");
        var status = lines[0].Split(' ', 3);
        if (status.Length < 2 || !status[0].StartsWith("SPAMD/", StringComparison.Ordinal) || status[1] != "0")
            throw new InvalidDataException("spamd answered " + lines[0]);
        var spam = lines.Skip(1).FirstOrDefault(l => l.StartsWith("Spam:", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidDataException("spamd gave no score");
        var semicolon = spam.IndexOf(';', StringComparison.Ordinal);
        var slash = spam.IndexOf('/', StringComparison.Ordinal);
        if (semicolon < 0 || slash < semicolon
            || !double.TryParse(spam[(semicolon + 1)..slash], NumberStyles.Float, CultureInfo.InvariantCulture, out var score))
            throw new InvalidDataException("spamd gave no score");
        var symbols = split < 0 ? [] : reply[(split + 4)..].Trim().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new SpamReport(score, symbols);
    }
}
