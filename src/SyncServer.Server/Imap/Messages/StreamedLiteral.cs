using System.IO.Pipelines;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Messages;

/// <summary>
/// A BODY[…] or BINARY[…] value too large to hold in memory: a literal of known length whose octets are read from
/// the stored message (and decoded, for BINARY) chunk by chunk while the response is written, so FETCH of a large
/// message holds one chunk, not the message. <see cref="Skip"/> and <see cref="Length"/> are the partial's window
/// over the source's (decoded) octets.
/// </summary>
public sealed record StreamedLiteral(MessageContent Content, BinarySections.Source Source, long Skip, long Length, bool Binary) : ImapValue
{
    /// <summary>A stored range sent as it is (BODY[…]).</summary>
    public StreamedLiteral(MessageContent content, long begin, long end)
        : this(content, new BinarySections.Source(begin, end, null), 0, end - begin, Binary: false)
    {
    }

    /// <summary>
    /// The literal: announcement, then the octets, flushed chunk by chunk. Outside literal8 a stored NUL goes out
    /// as 0x80, as <see cref="BodySections.Literal"/> does for sections held in memory.
    /// </summary>
    public async Task WriteAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        ImapValueWriter.WriteLiteralAnnouncement(output, Length, Binary);
        long position = 0;
        await foreach (var chunk in BinarySections.OctetsAsync(Content, Source, cancellationToken))
        {
            var start = Math.Clamp(Skip - position, 0, chunk.Length);
            var stop = Math.Clamp(Skip + Length - position, 0, chunk.Length);
            position += chunk.Length;
            if (start == stop)
                continue;
            var octets = output.GetSpan((int)(stop - start))[..(int)(stop - start)];
            chunk.Span[(int)start..(int)stop].CopyTo(octets);
            if (!Binary)
                octets.Replace((byte)0, (byte)0x80);
            output.Advance(octets.Length);
            await output.FlushAsync(cancellationToken);
        }
    }
}
