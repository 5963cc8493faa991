using System.Buffers;

namespace SyncServer.Protocols.Smtp;

/// <summary>
/// Reads the DATA body (RFC 5321 §4.1.1.4, §4.5.2) incrementally: removes dot-stuffing, finds the
/// CRLF "." CRLF terminator wherever reads split it, and streams the message to the caller's sink without
/// holding it. One instance per message. The CRLF before the terminator belongs to the message.
/// </summary>
public sealed class SmtpDataReader(SmtpBodyLimits limits)
{
    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';
    private const byte Dot = (byte)'.';

    private enum State
    {
        LineStart,  // after CRLF (or a tolerated bare LF), or at the start of the body
        Dot,        // a "." at line start: stuffing, or the start of the terminator
        DotCr,      // "." CR at line start
        Text,
        Cr,         // a CR inside a line: CRLF, or a bare CR
        Done,
    }

    private readonly SmtpBodySink _sink = new(limits.MaxMessageSize);
    private State _state = State.LineStart;
    // The terminator needs a real CRLF before its dot; a line opened by a tolerated bare LF cannot end the data.
    private bool _lineOpenedByCrLf = true;
    private long _lineLength;
    private bool _bareLineEnding;

    /// <summary>Octets of the unstuffed message, including those dropped past the size limit.</summary>
    public long MessageSize => _sink.Octets;

    /// <summary>Some line exceeded <see cref="SmtpBodyLimits.MaxLineLength"/>; it was written unchanged.</summary>
    public bool HasOverlongLine { get; private set; }

    /// <summary>
    /// After the terminator: <c>552 5.3.4</c> when the message exceeded the size limit, <c>554 5.6.0</c> for a
    /// bare CR or LF the limits do not tolerate, otherwise null (the session may commit).
    /// </summary>
    public SmtpReply? Rejection =>
        _sink.TooBig ? SmtpReplies.MessageTooBig : _bareLineEnding ? SmtpReplies.BareLineEnding : null;

    /// <summary>
    /// Consumes body octets. True: the terminator has been consumed and the reader stands on the next command
    /// (pipelining); false: everything given was consumed, read more and call again.
    /// </summary>
    public bool TryRead(ref SequenceReader<byte> reader, IBufferWriter<byte> body)
    {
        while (_state != State.Done && !reader.End)
        {
            var span = reader.UnreadSpan;
            var consumed = 0;
            while (consumed < span.Length && _state != State.Done)
                consumed += Step(span[consumed..], body);
            reader.Advance(consumed);
        }
        return _state == State.Done;
    }

    // Handles the next octet, or a run of ordinary text at once; returns how many octets it consumed.
    private int Step(ReadOnlySpan<byte> input, IBufferWriter<byte> body)
    {
        var c = input[0];
        switch (_state)
        {
            case State.LineStart when c == Dot:
                _state = State.Dot;
                AddToLine(1);
                return 1;
            case State.LineStart:
                _state = State.Text;
                return 0;
            case State.Dot when c == Cr:
                _state = State.DotCr;
                return 1;
            case State.Dot:
                _state = State.Text; // a stuffed dot: dropped, the rest of the line is text
                return 0;
            case State.DotCr when c == Lf && _lineOpenedByCrLf:
                _state = State.Done;
                return 1;
            case State.DotCr when c == Lf:
                // "." alone on a line opened by a bare LF: text, not the terminator.
                _sink.Write(body, "."u8);
                EndLine(body);
                return 1;
            case State.DotCr:
                _state = State.Cr; // "." CR x: a stuffed dot followed by a bare CR
                return 0;
            case State.Cr when c == Lf:
                EndLine(body);
                return 1;
            case State.Cr:
                _bareLineEnding = true;
                _sink.Write(body, [Cr]);
                AddToLine(1);
                _state = State.Text;
                return 0;
            default:
                return StepText(input, body);
        }
    }

    private int StepText(ReadOnlySpan<byte> input, IBufferWriter<byte> body)
    {
        var run = input.IndexOfAny(Cr, Lf);
        if (run != 0)
        {
            run = run < 0 ? input.Length : run;
            _sink.Write(body, input[..run]);
            AddToLine(run);
            return run;
        }
        if (input[0] == Cr)
        {
            _state = State.Cr;
            return 1;
        }
        if (limits.AllowBareLineFeed)
        {
            EndLine(body);
            _lineOpenedByCrLf = false;
            return 1;
        }
        _bareLineEnding = true;
        _sink.Write(body, [Lf]);
        AddToLine(1);
        return 1;
    }

    private void EndLine(IBufferWriter<byte> body)
    {
        _sink.Write(body, "\r\n"u8);
        _state = State.LineStart;
        _lineOpenedByCrLf = true;
        _lineLength = 0;
    }

    private void AddToLine(int octets)
    {
        _lineLength += octets;
        if (_lineLength + 2 > limits.MaxLineLength)
            HasOverlongLine = true;
    }
}
