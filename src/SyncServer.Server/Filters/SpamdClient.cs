using System.Net.Sockets;
using System.Text;
using SyncServer.Core.Delivery;
using SyncServer.Protocols.Filters;

namespace SyncServer.Server.Filters;

/// <summary>
/// SpamAssassin's spamd over the SPAMC protocol (<see cref="SpamcProtocol"/>): one <c>SYMBOLS</c> request per message,
/// answered with the score and the names of the rules that matched. The message is streamed from the spool, never
/// held in memory.
/// </summary>
internal sealed class SpamdClient(FilterDaemon daemon, ILogger logger) : ISpamClassifier
{
    public Task<SpamReport> ClassifyAsync(Stream message, CancellationToken cancellationToken)
        => daemon.ExchangeAsync(async (stream, ct) =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(SpamcProtocol.SymbolsRequest(message.Length)), ct);
            await message.CopyToAsync(stream, ct);
            stream.Socket.Shutdown(SocketShutdown.Send);
            var reply = Encoding.ASCII.GetString(await FilterDaemon.ReadReplyAsync(stream, terminator: null, ct));
            if (!SpamcProtocol.TryParse(reply, out var score, out var symbols))
                throw new InvalidDataException("spamd answered " + FilterDaemon.FirstLine(reply));
            var report = new SpamReport(score, symbols);
            Log.SpamScored(logger, report.Score, string.Join(',', report.Symbols));
            return report;
        }, cancellationToken);
}
