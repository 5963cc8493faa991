using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MimeKit.Encodings;
using SyncServer.Core.Mail;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Messages;

/// <summary>
/// BINARY[part] and BINARY.SIZE[part] (RFC 3516 §4.2–4.3): a part's stored content with its content transfer
/// encoding removed, decoded chunk by chunk as it is read from the part's offsets. The whole message (an empty
/// part) and multipart or message parts are returned as stored.
/// </summary>
public static class BinarySections
{
    /// <summary>The stored range [Begin, End) a BINARY item reads and the decoder of its encoding (null: as stored).</summary>
    public sealed record Source(long Begin, long End, Func<IMimeDecoder>? Decoder);

    /// <summary>What BINARY[part] reads (an empty range when there is no such part); null when the encoding is unknown ([UNKNOWN-CTE]).</summary>
    public static Source? Find(MessageStructure structure, IReadOnlyList<uint> part)
    {
        if (part.Count == 0)
            return new Source(structure.Begin, structure.End, null);
        if (BodySections.Find(structure, part) is not { } found)
            return new Source(0, 0, null);
        if (found.IsMultipart || found.IsMessage)
            return new Source(found.HeadersEnd, found.End, null);
        return found.Encoding.Trim().ToUpperInvariant() switch
        {
            "7BIT" or "8BIT" or "BINARY" => new Source(found.HeadersEnd, found.End, null),
            "BASE64" => new Source(found.HeadersEnd, found.End, () => new Base64Decoder()),
            "QUOTED-PRINTABLE" => new Source(found.HeadersEnd, found.End, () => new QuotedPrintableDecoder()),
            "X-UUENCODE" or "UUENCODE" => new Source(found.HeadersEnd, found.End, () => new UUDecoder()),
            _ => null,
        };
    }

    /// <summary>The value of BINARY[part]&lt;partial&gt;; the part's encoding is known (<see cref="Find"/>).</summary>
    public static async Task<ImapValue> ValueAsync(MessageContent content, FetchBinary binary, CancellationToken cancellationToken)
    {
        var source = Find(content.Structure, binary.Part)!;
        if (source.End - source.Begin <= BodySections.InlineLimit)
        {
            var octets = new List<byte>();
            await foreach (var chunk in OctetsAsync(content, source, cancellationToken))
                octets.AddRange(chunk.Span);
            return Value(BodySections.Partial(octets.ToArray(), binary.Partial));
        }
        // Decoded twice, never held: once for the length the literal announces and whether it needs literal8.
        var (length, nul) = await MeasureAsync(content, source, binary.Partial, cancellationToken);
        var (skip, end) = BodySections.Window(0, length, binary.Partial);
        return new StreamedLiteral(content, source, skip, end - skip, nul);
    }

    /// <summary>BINARY.SIZE[part]: the decoded length.</summary>
    public static async Task<long> SizeAsync(MessageContent content, IReadOnlyList<uint> part, CancellationToken cancellationToken)
    {
        var source = Find(content.Structure, part)!;
        return source.Decoder is null ? source.End - source.Begin : (await MeasureAsync(content, source, null, cancellationToken)).Length;
    }

    /// <summary>The source's octets, decoded, in chunks each valid until the next is asked for.</summary>
    public static async IAsyncEnumerable<ReadOnlyMemory<byte>> OctetsAsync(MessageContent content, Source source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var decoder = source.Decoder?.Invoke();
        var output = decoder is null ? [] : new byte[decoder.EstimateOutputLength(MessageContent.ChunkSize)];
        await foreach (var chunk in content.ReadChunksAsync(source.Begin, source.End, cancellationToken))
        {
            if (decoder is null)
            {
                yield return chunk;
                continue;
            }
            var input = MemoryMarshal.TryGetArray<byte>(chunk, out var segment) ? segment : throw new InvalidOperationException("Chunks are arrays.");
            yield return output.AsMemory(0, decoder.Decode(input.Array!, input.Offset, input.Count, output));
        }
    }

    public static string Name(FetchBinary binary) =>
        binary.Partial is { } p ? $"BINARY[{PartName(binary.Part)}]<{p.Offset}>" : $"BINARY[{PartName(binary.Part)}]";

    public static string SizeName(FetchBinarySize size) => $"BINARY.SIZE[{PartName(size.Part)}]";

    /// <summary>Literal8 only when it must be: the decoded content holds NUL (RFC 3516 §4.2).</summary>
    public static ImapString Value(ReadOnlyMemory<byte> octets) => new(octets, Binary: octets.Span.Contains((byte)0));

    /// <summary>The decoded length, and whether the octets <paramref name="partial"/> names hold NUL.</summary>
    private static async Task<(long Length, bool Nul)> MeasureAsync(MessageContent content, Source source, ImapPartial? partial, CancellationToken cancellationToken)
    {
        // number64 offsets and lengths (RFC 9051 §9) add up within a ulong.
        var (from, to) = partial is { } p ? (p.Offset, p.Offset + p.Length) : (0UL, ulong.MaxValue);
        ulong position = 0;
        var nul = false;
        await foreach (var chunk in OctetsAsync(content, source, cancellationToken))
        {
            var end = position + (ulong)chunk.Length;
            var start = Math.Clamp(from, position, end) - position;
            var stop = Math.Clamp(to, position, end) - position;
            nul |= chunk.Span[(int)start..(int)stop].Contains((byte)0);
            position = end;
        }
        return ((long)position, nul);
    }

    private static string PartName(IReadOnlyList<uint> part) => string.Join('.', part);
}
