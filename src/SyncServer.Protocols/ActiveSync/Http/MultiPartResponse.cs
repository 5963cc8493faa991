using System.Buffers.Binary;

namespace SyncServer.Protocols.ActiveSync.Http;

/// <summary>
/// The body of a multipart ItemOperations answer (MS-ASCMD 2.2.1.10.1.1; client-requirements EAS-WBXML-05): a
/// 32-bit little-endian part count, then one (offset, length) pair of 32-bit integers per part, offsets counted from
/// the start of the body, then the parts back to back. Part 0 is the WBXML document; its <c>Part</c> elements name
/// the others by index.
/// </summary>
public static class MultiPartResponse
{
    public const string ContentType = "application/vnd.ms-sync.multipart";

    public static byte[] Write(IReadOnlyList<ReadOnlyMemory<byte>> parts)
    {
        var header = 4 + 8 * parts.Count;
        var total = header + parts.Sum(p => (long)p.Length);
        if (total > int.MaxValue)
            throw new ArgumentException("a multipart answer is limited to 2 GiB", nameof(parts));
        var body = new byte[total];
        BinaryPrimitives.WriteInt32LittleEndian(body, parts.Count);
        var offset = header;
        for (var i = 0; i < parts.Count; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(4 + 8 * i), offset);
            BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(8 + 8 * i), parts[i].Length);
            parts[i].Span.CopyTo(body.AsSpan(offset));
            offset += parts[i].Length;
        }
        return body;
    }
}
