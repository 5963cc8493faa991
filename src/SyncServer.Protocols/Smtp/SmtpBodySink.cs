using System.Buffers;

namespace SyncServer.Protocols.Smtp;

/// <summary>
/// Counts message octets and writes only the first <c>maxMessageSize</c> of them to the caller's sink, so an
/// oversized message is drained from the connection without being stored, however the reads were split.
/// </summary>
internal sealed class SmtpBodySink(long maxMessageSize)
{
    public long Octets { get; private set; }

    public bool TooBig => Octets > maxMessageSize;

    public void Write(IBufferWriter<byte> body, ReadOnlySpan<byte> octets)
    {
        var room = Math.Max(0, maxMessageSize - Octets);
        body.Write(octets[..(int)Math.Min(room, octets.Length)]);
        Octets += octets.Length;
    }
}
