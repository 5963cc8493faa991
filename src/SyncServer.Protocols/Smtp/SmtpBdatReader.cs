using System.Buffers;

namespace SyncServer.Protocols.Smtp;

/// <summary>
/// Reads the message octets of BDAT chunks (RFC 3030 §2): exactly the announced count, no dot-stuffing and
/// no terminator. One instance per message, across all its chunks, so the size limit covers the sum.
/// </summary>
public sealed class SmtpBdatReader(SmtpBodyLimits limits)
{
    private readonly SmtpBodySink _sink = new(limits.MaxMessageSize);
    private long _chunkRemaining;

    /// <summary>Octets of the message so far, including those dropped past the limit.</summary>
    public long MessageSize => _sink.Octets;

    /// <summary>
    /// <c>552 5.3.4</c> once the chunks exceed <see cref="SmtpBodyLimits.MaxMessageSize"/>. The chunk still has
    /// to be read to its end (RFC 3030 §2: the octets are on the wire whatever the reply).
    /// </summary>
    public SmtpReply? Rejection => _sink.TooBig ? SmtpReplies.MessageTooBig : null;

    /// <summary>Starts the chunk of a parsed <see cref="Bdat"/> command.</summary>
    public void BeginChunk(Bdat command) => _chunkRemaining = command.Size;

    /// <summary>True when the current chunk has been read completely; false: read more and call again.</summary>
    public bool TryRead(ref SequenceReader<byte> reader, IBufferWriter<byte> body)
    {
        while (_chunkRemaining > 0 && !reader.End)
        {
            var span = reader.UnreadSpan;
            var take = (int)Math.Min(span.Length, _chunkRemaining);
            _sink.Write(body, span[..take]);
            reader.Advance(take);
            _chunkRemaining -= take;
        }
        return _chunkRemaining == 0;
    }
}
