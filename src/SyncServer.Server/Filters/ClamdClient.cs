using System.Buffers.Binary;
using System.Text;
using SyncServer.Core.Delivery;
using SyncServer.Protocols.Filters;

namespace SyncServer.Server.Filters;

/// <summary>
/// ClamAV's clamd over its <c>INSTREAM</c> command (<see cref="ClamdProtocol"/>): the spooled message in chunks of
/// 64 KiB, each preceded by its length as 4 bytes in network order, a zero-length chunk to end, then one answer.
/// </summary>
internal sealed class ClamdClient(FilterDaemon daemon, ILogger logger) : IVirusScanner
{
    private const int ChunkSize = 64 * 1024;

    public string Name => "ClamAV";

    public Task<string?> ScanAsync(Stream message, CancellationToken cancellationToken)
        => daemon.ExchangeAsync(async (stream, ct) =>
        {
            await stream.WriteAsync(ClamdProtocol.InstreamCommand.ToArray(), ct);
            var chunk = new byte[4 + ChunkSize];
            int read;
            do
            {
                read = await message.ReadAtLeastAsync(chunk.AsMemory(4), ChunkSize, throwOnEndOfStream: false, ct);
                BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)read);
                await stream.WriteAsync(chunk.AsMemory(0, 4 + read), ct);
            }
            while (read > 0);
            var reply = Encoding.ASCII.GetString(await FilterDaemon.ReadReplyAsync(stream, terminator: 0, ct));
            if (!ClamdProtocol.TryParse(reply, out var virus))
                throw new InvalidDataException("clamd answered " + FilterDaemon.FirstLine(reply));
            if (virus is not null)
                Log.VirusFound(logger, virus);
            return virus;
        }, cancellationToken);
}
