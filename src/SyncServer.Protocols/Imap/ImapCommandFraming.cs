using System.Buffers;
using System.Buffers.Text;

namespace SyncServer.Protocols.Imap;

/// <summary>
/// Step 1 of command parsing: find where one command ends. A command is a line that may end in a literal
/// announcement (<c>{n}</c>, <c>{n+}</c>, <c>~{n}</c>); then n octets and another line follow (RFC 9051 §4.3).
/// Nothing is consumed until the whole command is buffered, so the grammar parser sees it in one piece; the
/// <see cref="ImapCommandState"/> only remembers how far framing got. The exception is APPEND's message: the
/// command is handed out when its message literal is announced, and the literal is left to the caller to stream
/// (<see cref="ReadAppendLiteral"/>, <see cref="FinishAppend"/>), so a message is never held in the input. A
/// refused command is dropped as it arrives, literals included, and reported once when its last line ends.
/// </summary>
internal static class ImapCommandFraming
{
    public enum Result { NeedMore, Command, Continuation, Refused, Append }

    // Framing with literals off (IDLE's DONE, SASL responses) takes a "{n}" at a line's end as plain text.

    // While discarding, this many trailing octets stay unconsumed so that a literal announcement at the end of
    // a line ("~{9223372036854775807+}" is 23 octets) is still whole when its CRLF arrives.
    private const int AnnouncementTail = 24;

    public static Result Frame(
        ref SequenceReader<byte> reader, ImapParserLimits limits, bool literals, ref ImapCommandState state,
        out ReadOnlySequence<byte> command, out ImapParseOutcome? outcome)
    {
        command = default;
        outcome = null;
        if (state.PendingError is not null)
            return Discard(ref reader, literals, ref state, out outcome);

        var input = reader.UnreadSequence;
        while (state.Examined <= input.Length)
        {
            var unexamined = input.Slice(state.Examined);
            if (unexamined.PositionOf((byte)'\n') is not { } lf)
            {
                if (state.LineOctets + unexamined.Length <= limits.MaxLineLength)
                    return Result.NeedMore;
                // Too long and still no end in sight: drop what is here rather than buffer more of it.
                var tag = ImapTag.Peek(input);
                reader.Advance(Math.Max(0, input.Length - AnnouncementTail));
                state = new ImapCommandState { PendingError = LineTooLong(tag) };
                return Discard(ref reader, literals, ref state, out outcome);
            }

            var line = unexamined.Slice(0, lf);
            var lineEnd = state.Examined + line.Length + 1;
            state.LineOctets += line.Length + 1;
            var announcement = literals ? LiteralAnnouncement.Parse(line) : null;
            var refusal = Refusal(input, announcement, limits, ref state);
            var append = refusal is null && announcement is not null && ImapMailboxCommandParser.IsAppend(input)
                ? ImapMailboxCommandParser.AppendHead(input.Slice(0, lineEnd).ToArray(), announcement, limits)
                : null;
            if ((refusal ?? append as ImapSyntaxError) is { } error)
            {
                reader.Advance(lineEnd);
                state = new ImapCommandState { PendingError = error, SkipLiteral = announcement?.NonSynchronizingSize ?? 0 };
                // Only a non-synchronizing literal is on its way; after a refused synchronizing one the client
                // waits for "+", gets the error instead, and abandons the command.
                return announcement is { Synchronizing: false }
                    ? Discard(ref reader, literals, ref state, out outcome)
                    : Report(ref state, out outcome);
            }

            if (append is Append message)
            {
                reader.Advance(lineEnd);
                state = new ImapCommandState { AppendTag = message.Tag, AppendRemaining = message.Size, AppendBinary = message.Binary };
                outcome = message;
                return Result.Append;
            }

            if (announcement is null)
            {
                command = input.Slice(0, lineEnd);
                reader.Advance(lineEnd);
                state = default;
                return Result.Command;
            }

            state.Examined = lineEnd + announcement.Size;
            if (announcement.Synchronizing)
            {
                outcome = new ImapContinuationRequest(ImapTag.Peek(input), announcement.Size);
                return Result.Continuation;
            }
        }
        return Result.NeedMore;
    }

    /// <summary>The octets of the APPEND message literal that <paramref name="reader"/> holds, up to the literal's end.</summary>
    public static ReadOnlySequence<byte> ReadAppendLiteral(ref SequenceReader<byte> reader, ref ImapCommandState state)
    {
        if (state.AppendTag is null)
            throw new InvalidOperationException("No APPEND message literal is being read.");
        var octets = reader.UnreadSequence.Slice(0, Math.Min(state.AppendRemaining, reader.Remaining));
        reader.Advance(octets.Length);
        state.AppendRemaining -= octets.Length;
        // RFC 9051 §4.3: a literal (not literal8) cannot contain NUL.
        if (!state.AppendBinary && octets.PositionOf((byte)0) is not null)
            state.AppendNul = true;
        return octets;
    }

    /// <summary>
    /// After the APPEND message literal: the command must end there (CRLF). Command with a null outcome when it
    /// does; Refused with the error when the literal held NUL or more follows, which is dropped like any refused
    /// command (a MULTIAPPEND's further literals included).
    /// </summary>
    public static Result FinishAppend(ref SequenceReader<byte> reader, ref ImapCommandState state, out ImapParseOutcome? outcome)
    {
        outcome = null;
        if (state.AppendTag is null || state.AppendRemaining > 0)
            throw new InvalidOperationException("The APPEND message literal has not been read.");
        if (state.PendingError is null)
        {
            if (reader.Remaining < 2)
                return Result.NeedMore;
            if (reader.IsNext("\r\n"u8, advancePast: true))
            {
                var nul = state.AppendNul ? new ImapSyntaxError(state.AppendTag, "NUL in literal; use literal8") : null;
                state = default;
                return nul is null ? Result.Command : Report(nul, out outcome);
            }
            state.PendingError = new ImapSyntaxError(state.AppendTag, "APPEND takes one message (MULTIAPPEND is not offered)");
        }
        return Discard(ref reader, literals: true, ref state, out outcome);
    }

    private static ImapSyntaxError? Refusal(
        ReadOnlySequence<byte> input, LiteralAnnouncement? announcement, ImapParserLimits limits, ref ImapCommandState state)
    {
        if (state.LineOctets > limits.MaxLineLength)
            return LineTooLong(ImapTag.Peek(input));
        if (announcement is null)
            return null;
        // RFC 7889: a literal over APPENDLIMIT is refused with NO [TOOBIG] before it is read (or, when
        // non-synchronizing, after it has been skipped).
        if (announcement.Size > limits.MaxLiteralSize || ++state.Literals > limits.MaxLiteralsPerCommand)
            return new ImapSyntaxError(ImapTag.Peek(input), "Literal too big", ImapStatus.No, ImapResponseCode.TooBig);
        // RFC 7888 §4: under LITERAL- a larger non-synchronizing literal is a BAD, and its octets are skipped.
        if (!announcement.Synchronizing && announcement.Size > limits.MaxNonSynchronizingLiteralSize)
            return new ImapSyntaxError(ImapTag.Peek(input), "Non-synchronizing literal too big", ImapStatus.Bad, ImapResponseCode.TooBig);
        return null;
    }

    private static Result Discard(ref SequenceReader<byte> reader, bool literals, ref ImapCommandState state, out ImapParseOutcome? outcome)
    {
        outcome = null;
        while (true)
        {
            var skip = Math.Min(state.SkipLiteral, reader.Remaining);
            reader.Advance(skip);
            state.SkipLiteral -= skip;
            if (state.SkipLiteral > 0)
                return Result.NeedMore;

            var input = reader.UnreadSequence;
            if (input.PositionOf((byte)'\n') is not { } lf)
            {
                reader.Advance(Math.Max(0, input.Length - AnnouncementTail));
                return Result.NeedMore;
            }
            var announcement = literals ? LiteralAnnouncement.Parse(input.Slice(0, lf)) : null;
            reader.Advance(input.Slice(0, lf).Length + 1);
            if (announcement is not { Synchronizing: false })
                return Report(ref state, out outcome);
            state.SkipLiteral = announcement.Size;
        }
    }

    private static Result Report(ref ImapCommandState state, out ImapParseOutcome? outcome)
    {
        var error = state.PendingError!;
        state = default;
        return Report(error, out outcome);
    }

    private static Result Report(ImapSyntaxError error, out ImapParseOutcome? outcome)
    {
        outcome = error;
        return Result.Refused;
    }

    private static ImapSyntaxError LineTooLong(string? tag) => new(tag, "Command line too long");
}

/// <summary><c>literal = "{" number64 ["+"] "}" CRLF</c>, <c>literal8 = "~{" number64 "}" CRLF</c> at a line's end.</summary>
internal sealed record LiteralAnnouncement(long Size, bool Synchronizing, bool Binary, int Length)
{
    public long NonSynchronizingSize => Synchronizing ? 0 : Size;

    /// <summary>The announcement ending <paramref name="line"/> (which excludes its LF), or null if none.</summary>
    public static LiteralAnnouncement? Parse(ReadOnlySequence<byte> line)
    {
        // A bare LF never ends an announcement: the grammar parser then refuses the line for lacking its CR.
        var tail = line.Slice(Math.Max(0, line.Length - 26)).ToArray().AsSpan();
        if (tail.Length < 4 || !tail.EndsWith("}\r"u8))
            return null;
        var open = tail.LastIndexOf((byte)'{');
        if (open < 0)
            return null;
        var digits = tail[(open + 1)..^2];
        var synchronizing = !digits.EndsWith("+"u8);
        if (!synchronizing)
            digits = digits[..^1];
        if (digits.Length is 0 or > 19 || digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0
            || !Utf8Parser.TryParse(digits, out long size, out _))
            return null;
        var binary = open > 0 && tail[open - 1] == (byte)'~';
        // Octets from "{" (or "~{") to the LF that ends the line.
        return new LiteralAnnouncement(size, synchronizing, binary, tail.Length - open + (binary ? 1 : 0) + 1);
    }
}
