using System.Buffers.Binary;
using System.Text;
using SyncServer.Core.Delivery;

namespace SyncServer.Server.Filters;

/// <summary>
/// ClamAV's clamd over its <c>INSTREAM</c> command (clamd(8)): <c>zINSTREAM\0</c>, the message in chunks each preceded
/// by its length as 4 bytes in network order, a zero-length chunk to end, then one NUL-terminated answer:
/// <c>stream: OK</c> or <c>stream: NAME FOUND</c>.
/// </summary>
internal sealed class ClamdClient(FilterDaemon daemon, ILogger logger) : IVirusScanner
{
    private const int ChunkSize = 64 * 1024;
    private static readonly byte[] Command = "zINSTREAM\0"u8.ToArray();

    public string Name => "ClamAV";

    public Task<string?> ScanAsync(Stream message, CancellationToken cancellationToken)
        => daemon.ExchangeAsync(async (stream, ct) =>
        {
            await stream.WriteAsync(Command, ct);
            var chunk = new byte[4 + ChunkSize];
            int read;
            do
            {
                read = await message.ReadAtLeastAsync(chunk.AsMemory(4), ChunkSize, throwOnEndOfStream: false, ct);
                BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)read);
                await stream.WriteAsync(chunk.AsMemory(0, 4 + read), ct);
            }
            while (read > 0);
            var virus = Parse(Encoding.ASCII.GetString(await FilterDaemon.ReadReplyAsync(stream, terminator: 0, ct)));
            if (virus is not null)
                Log.VirusFound(logger, virus);
            return virus;
        }, cancellationToken);

    /// <summary>The virus name of <c>stream: NAME FOUND</c>, null for <c>stream: OK</c>; anything else (an <c>ERROR</c>) is an <see cref="InvalidDataException"/>.</summary>
    public static string? Parse(string reply)
    {
        reply = reply.TrimEnd('\n', '\0');
        const string prefix = "stream: ";
        if (reply == prefix + "OK")
            return null;
        if (reply.StartsWith(prefix, StringComparison.Ordinal) && reply.EndsWith(" FOUND", StringComparison.Ordinal) && reply.Length > prefix.Length + 6)
            return reply[prefix.Length..^6];
        throw new InvalidDataException("clamd answered " + reply);
    }
}
