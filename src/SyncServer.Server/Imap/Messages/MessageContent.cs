using SyncServer.Core.Mail;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Server.Imap.Messages;

/// <summary>A message's stored bytes and its structure, as FETCH and SEARCH read them.</summary>
public sealed class MessageContent(byte[] bytes, MessageStructure structure)
{
    public byte[] Bytes => bytes;

    public MessageStructure Structure => structure;

    public ReadOnlyMemory<byte> Slice(long begin, long end) => bytes.AsMemory((int)begin, (int)(end - begin));

    /// <param name="blobs">Where the bytes are.</param>
    /// <param name="item">The message.</param>
    /// <param name="withBytes">False when only the structure is needed (ENVELOPE, BODYSTRUCTURE): a message whose
    /// structure was stored at delivery is then not read at all, and <see cref="Bytes"/> is empty.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<MessageContent> LoadAsync(IBlobStore blobs, Item item, bool withBytes, CancellationToken cancellationToken)
    {
        if (!withBytes && MessageStructure.Deserialize(item.Mail?.MimeStructure) is { } stored)
            return new MessageContent([], stored);
        var bytes = await ReadAsync(blobs, item, cancellationToken);
        // Messages stored before their structure was indexed get it computed here; it is not written back
        // because an index-only update would take a new modseq and look like a change to every client.
        var structure = MessageStructure.Deserialize(item.Mail?.MimeStructure)
            ?? MessageStructureParser.ParseStructure(new MemoryStream(bytes, writable: false));
        return new MessageContent(bytes, structure);
    }

    /// <summary>The message as stored (header prefix and blob): the one place that reads an item's bytes.</summary>
    private static async Task<byte[]> ReadAsync(IBlobStore blobs, Item item, CancellationToken cancellationToken)
    {
        await using var stream = await ItemContent.OpenAsync(item, blobs, cancellationToken);
        var bytes = new byte[item.Size];
        await stream.ReadExactlyAsync(bytes, cancellationToken);
        return bytes;
    }
}
