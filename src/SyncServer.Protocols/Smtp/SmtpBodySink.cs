using System.Buffers;

namespace SyncServer.Protocols.Smtp;

/// <summary>
/// Counts message octets and writes them to the caller's sink until the size limit is passed; after that it
/// only counts, so an oversized message is drained from the connection without being stored.
/// </summary>
internal sealed class SmtpBodySink(long maxMessageSize)
{
    public long Octets { get; private set; }

    public bool TooBig => Octets > maxMessageSize;

    public void Write(IBufferWriter<byte> body, ReadOnlySpan<byte> octets)
    {
        Octets += octets.Length;
        if (!TooBig)
            body.Write(octets);
    }
}
