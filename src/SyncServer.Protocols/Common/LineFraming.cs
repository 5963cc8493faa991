using System.Buffers;

namespace SyncServer.Protocols.Common;

/// <summary>Why <see cref="LineFraming.TryReadLine"/> refused a line.</summary>
public enum LineError { None, TooLong, BareLineFeed }

/// <summary>
/// The one piece of state line framing needs across reads: whether it is skipping the rest of an overlong line.
/// A session keeps one per connection (a field) and passes it to every parse; start a fresh one after STARTTLS/STLS,
/// with the input buffer.
/// </summary>
public struct LineState
{
    internal bool SkippingOverlongLine;
}

/// <summary>
/// Step 1 of parsing a line protocol's commands (SMTP, POP3): cut one CRLF-terminated line out of the input. An
/// overlong line is never buffered whole: once <c>maxLength</c> octets have arrived without an LF they are consumed,
/// <see cref="LineState"/> remembers to drop the rest, and the error is reported when its LF arrives, so the client
/// gets exactly one reply for it, in order with its pipelined commands.
/// </summary>
public static class LineFraming
{
    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';

    /// <summary>
    /// False: need more bytes. True: the line is consumed, and either <paramref name="line"/> (without its line
    /// ending) is set or <paramref name="error"/> says why not.
    /// </summary>
    /// <param name="maxLength">Longest line in octets, CRLF included.</param>
    /// <param name="allowBareLineFeed">Whether a line may end with LF alone.</param>
    public static bool TryReadLine(
        ref SequenceReader<byte> reader, int maxLength, bool allowBareLineFeed, ref LineState state,
        out ReadOnlySequence<byte> line, out LineError error)
    {
        line = default;
        error = LineError.None;
        if (state.SkippingOverlongLine)
        {
            if (!reader.TryAdvanceTo(Lf))
            {
                reader.AdvanceToEnd();
                return false;
            }
            state.SkippingOverlongLine = false;
            error = LineError.TooLong;
            return true;
        }

        if (!reader.TryReadTo(out line, Lf))
        {
            // Everything buffered lacks an LF: once that alone exceeds the limit, stop holding it.
            if (reader.Remaining >= maxLength)
            {
                reader.AdvanceToEnd();
                state.SkippingOverlongLine = true;
            }
            return false;
        }

        if (line.Length + 1 > maxLength)
            error = LineError.TooLong;
        else if (line.Length > 0 && EndsWithCr(line))
            line = line.Slice(0, line.Length - 1);
        else if (!allowBareLineFeed)
            error = LineError.BareLineFeed;
        return true;
    }

    private static bool EndsWithCr(ReadOnlySequence<byte> line)
    {
        var last = line.Slice(line.Length - 1);
        return last.FirstSpan[0] == Cr;
    }
}
