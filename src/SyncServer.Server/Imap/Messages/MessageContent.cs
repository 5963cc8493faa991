using System.Buffers;
using System.Runtime.CompilerServices;
using MimeKit;
using SyncServer.Core.Mail;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Server.Imap.Messages;

/// <summary>
/// A message's structure and its stored bytes (header prefix and blob, opened when first needed), read by the
/// ranges the structure names: a section of a large message is read from its offsets, never the whole message.
/// </summary>
public sealed class MessageContent : IAsyncDisposable
{
    /// <summary>Octets read from the store at a time when a range is copied out in chunks.</summary>
    public const int ChunkSize = 64 * 1024;

    private readonly IBlobStore _blobs;
    private readonly Item _item;
    private Stream? _stream;

    private MessageContent(IBlobStore blobs, Item item, MessageStructure structure, Stream? stream)
    {
        _blobs = blobs;
        _item = item;
        Structure = structure;
        _stream = stream;
    }

    public MessageStructure Structure { get; }

    /// <summary>
    /// The message's structure as stored at delivery, without reading the message. Messages stored before their
    /// structure was indexed get it computed here from their bytes; it is not written back because an index-only
    /// update would take a new modseq and look like a change to every client.
    /// </summary>
    public static async Task<MessageContent> LoadAsync(IBlobStore blobs, Item item, CancellationToken cancellationToken)
    {
        if (MessageStructure.Deserialize(item.Mail?.MimeStructure) is { } stored)
            return new MessageContent(blobs, item, stored, null);
        var stream = await ItemContent.OpenAsync(item, blobs, cancellationToken);
        try
        {
            return new MessageContent(blobs, item, MessageStructureParser.ParseStructure(stream), stream);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <summary>The stored octets [begin, end), in memory: for ranges known to be small (headers, short sections).</summary>
    public async Task<byte[]> ReadAsync(long begin, long end, CancellationToken cancellationToken)
    {
        var stream = await SeekAsync(begin, cancellationToken);
        var bytes = new byte[end - begin];
        await stream.ReadExactlyAsync(bytes, cancellationToken);
        return bytes;
    }

    /// <summary>
    /// The stored octets [begin, end) in chunks of up to <see cref="ChunkSize"/>, each valid (and the caller's to
    /// change) until the next is asked for.
    /// </summary>
    public async IAsyncEnumerable<Memory<byte>> ReadChunksAsync(long begin, long end, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = await SeekAsync(begin, cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            for (var left = end - begin; left > 0;)
            {
                var chunk = buffer.AsMemory(0, (int)Math.Min(left, ChunkSize));
                await stream.ReadExactlyAsync(chunk, cancellationToken);
                left -= chunk.Length;
                yield return chunk;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The whole message parsed by MimeKit (body SEARCH reads the decoded text parts).</summary>
    public async Task<MimeMessage> ParseAsync(CancellationToken cancellationToken) =>
        await MimeMessage.LoadAsync(await SeekAsync(0, cancellationToken), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_stream is not null)
            await _stream.DisposeAsync();
    }

    private async Task<Stream> SeekAsync(long position, CancellationToken cancellationToken)
    {
        _stream ??= await ItemContent.OpenAsync(_item, _blobs, cancellationToken);
        _stream.Position = position;
        return _stream;
    }
}
