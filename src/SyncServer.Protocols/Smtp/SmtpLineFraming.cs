using System.Buffers;

namespace SyncServer.Protocols.Smtp;

/// <summary>
/// Step 1 of command parsing: cut one CRLF-terminated line out of the input. An overlong line is never buffered
/// whole: once <see cref="SmtpParserLimits.MaxCommandLineLength"/> octets have arrived without an LF they are
/// consumed, <see cref="SmtpLineState"/> remembers to drop the rest, and the error is reported when its LF
/// arrives, so the client gets exactly one reply for it, in order with its pipelined commands.
/// </summary>
internal static class SmtpLineFraming
{
    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';

    /// <summary>
    /// False: need more bytes. True: either <paramref name="line"/> (without its line ending) or
    /// <paramref name="error"/> is set, and the line is consumed.
    /// </summary>
    public static bool TryReadLine(
        ref SequenceReader<byte> reader, SmtpParserLimits limits, ref SmtpLineState state,
        out ReadOnlySequence<byte> line, out SmtpSyntaxError? error)
    {
        line = default;
        error = null;
        if (state.SkippingOverlongLine)
        {
            if (!reader.TryAdvanceTo(Lf))
            {
                reader.AdvanceToEnd();
                return false;
            }
            state.SkippingOverlongLine = false;
            error = SmtpSyntaxError.LineTooLong;
            return true;
        }

        if (!reader.TryReadTo(out line, Lf))
        {
            // Everything buffered lacks an LF: once that alone exceeds the limit, stop holding it.
            if (reader.Remaining >= limits.MaxCommandLineLength)
            {
                reader.AdvanceToEnd();
                state.SkippingOverlongLine = true;
            }
            return false;
        }

        if (line.Length + 1 > limits.MaxCommandLineLength)
            error = SmtpSyntaxError.LineTooLong;
        else if (line.Length > 0 && EndsWithCr(line))
            line = line.Slice(0, line.Length - 1);
        else if (!limits.AllowBareLineFeed)
            error = SmtpSyntaxError.BareLineFeed;
        return true;
    }

    private static bool EndsWithCr(ReadOnlySequence<byte> line)
    {
        var last = line.Slice(line.Length - 1);
        return last.FirstSpan[0] == Cr;
    }
}
