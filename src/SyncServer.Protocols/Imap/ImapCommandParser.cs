using System.Buffers;
using System.Text;

namespace SyncServer.Protocols.Imap;

/// <summary>
/// Incremental parser of IMAP commands (RFC 9051 §6, RFC 3501 and the extensions the server offers). Pure: it
/// reads only what it is given and keeps its cross-read state in the caller's <see cref="ImapCommandState"/>.
/// </summary>
/// <remarks>
/// The session loop:
/// <code>
/// var reader = new SequenceReader&lt;byte&gt;(buffer);
/// while (ImapCommandParser.TryParse(ref reader, limits, ref state, out var outcome))
///     switch (outcome)
///     {
///         case ImapContinuationRequest: write("+ Ready"); break;   // then keep parsing
///         case ImapSyntaxError error: write(error.ToResponse()); break;
///         case ImapCommand command: await handle(command); break;    // IDLE/AUTHENTICATE: TryParseLine next
///     }
/// input.AdvanceTo(reader.Position, buffer.End);
/// </code>
/// A command is consumed only once it is complete with all its literals, so the input pipe must be allowed to
/// buffer <see cref="ImapParserLimits.MaxLineLength"/> plus the literals the limits allow. APPEND is the
/// exception: it comes out when its message literal is announced, and the session then streams the message
/// (<see cref="ReadAppendLiteral"/> until none remains, then <see cref="TryParseAppendEnd"/>) before parsing on.
/// </remarks>
public static class ImapCommandParser
{
    /// <summary>
    /// False: nothing to report yet (read more, then call again with the unconsumed input). True:
    /// <paramref name="outcome"/> is set; for a command or error, its bytes are consumed.
    /// </summary>
    public static bool TryParse(
        ref SequenceReader<byte> reader, ImapParserLimits limits, ref ImapCommandState state,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ImapParseOutcome? outcome)
    {
        if (state.AppendTag is not null)
            throw new InvalidOperationException("The APPEND message literal and its end must be read first.");
        switch (ImapCommandFraming.Frame(ref reader, limits, literals: true, ref state, out var command, out outcome))
        {
            case ImapCommandFraming.Result.NeedMore:
                return false;
            case ImapCommandFraming.Result.Command:
                outcome = Parse(command.IsSingleSegment ? command.FirstSpan : command.ToArray(), limits);
                return true;
            default: // Continuation, Refused, Append
                return outcome is not null;
        }
    }

    /// <summary>
    /// After an <see cref="Append"/> (and the <c>+</c> a synchronizing literal waits for): the octets of its message
    /// literal that <paramref name="reader"/> holds, consumed, up to the literal's end. <paramref name="remaining"/>
    /// says how many are still to come; at 0, <see cref="TryParseAppendEnd"/> is next.
    /// </summary>
    public static ReadOnlySequence<byte> ReadAppendLiteral(ref SequenceReader<byte> reader, ref ImapCommandState state, out long remaining)
    {
        var octets = ImapCommandFraming.ReadAppendLiteral(ref reader, ref state);
        remaining = state.AppendRemaining;
        return octets;
    }

    /// <summary>
    /// The end of an APPEND after its message literal. False: read more. True: <paramref name="error"/> is null
    /// when the command is complete and valid, else its error (NUL in a literal, or more than one message), with
    /// what followed the literal consumed.
    /// </summary>
    public static bool TryParseAppendEnd(ref SequenceReader<byte> reader, ref ImapCommandState state, out ImapSyntaxError? error)
    {
        var result = ImapCommandFraming.FinishAppend(ref reader, ref state, out var outcome);
        error = outcome as ImapSyntaxError;
        return result != ImapCommandFraming.Result.NeedMore;
    }

    /// <summary>
    /// The session refused an APPEND before answering its synchronizing literal with <c>+</c>: the client sends
    /// neither the literal nor the rest of the command (RFC 9051 §7.5), so parsing goes on with the next command.
    /// </summary>
    public static void AbandonAppend(ref ImapCommandState state)
    {
        if (state.AppendTag is null)
            throw new InvalidOperationException("No APPEND literal to abandon.");
        state = default;
    }

    /// <summary>
    /// Reads a line that is not a command: the DONE ending IDLE, or a SASL response during AUTHENTICATE
    /// (base64, or "*" to cancel). <paramref name="line"/> excludes the CRLF; these lines have no literals.
    /// </summary>
    public static bool TryParseLine(
        ref SequenceReader<byte> reader, ImapParserLimits limits, ref ImapCommandState state,
        out string? line, out ImapSyntaxError? error)
    {
        line = null;
        error = null;
        switch (ImapCommandFraming.Frame(ref reader, limits, literals: false, ref state, out var bytes, out var outcome))
        {
            case ImapCommandFraming.Result.NeedMore:
                return false;
            case ImapCommandFraming.Result.Command:
                var text = bytes.ToArray().AsSpan();
                if (text.EndsWith("\r\n"u8) && Ascii.IsValid(text))
                    line = Encoding.ASCII.GetString(text[..^2]);
                else
                    error = new ImapSyntaxError(null, "Expected a line of ASCII text ending with CRLF");
                return true;
            default:
                error = (ImapSyntaxError)outcome!;
                return true;
        }
    }

    private static ImapParseOutcome Parse(ReadOnlySpan<byte> input, ImapParserLimits limits)
    {
        var reader = new ImapSyntaxReader(input, limits);
        string? tag = null;
        try
        {
            tag = ImapTag.Read(ref reader);
            reader.Space();
            var command = Dispatch(ref reader, tag, reader.Keyword());
            reader.ExpectEnd();
            return command;
        }
        catch (ImapParseException e)
        {
            return new ImapSyntaxError(tag, e.Message);
        }
    }

    private static ImapCommand Dispatch(ref ImapSyntaxReader reader, string tag, string name) => name switch
    {
        "CAPABILITY" => new Capability(tag),
        "NOOP" => new Noop(tag),
        "LOGOUT" => new Logout(tag),
        "STARTTLS" => new StartTls(tag),
        "NAMESPACE" => new Namespace(tag),
        "IDLE" => new Idle(tag),
        "CHECK" => new Check(tag),
        "CLOSE" => new Close(tag),
        "UNSELECT" => new Unselect(tag),
        "EXPUNGE" => new Expunge(tag, null),
        "LOGIN" => Login(ref reader, tag),
        "UID" => Uid(ref reader, tag),
        _ => ImapMailboxCommandParser.TryParse(ref reader, tag, name)
            ?? ImapMessageCommandParser.TryParse(ref reader, tag, name, uid: false)
            ?? ImapExtensionCommandParser.TryParse(ref reader, tag, name)
            ?? throw ImapSyntaxReader.Fail($"Unknown command {name}"),
    };

    private static Login Login(ref ImapSyntaxReader reader, string tag)
    {
        reader.Space();
        var user = reader.AString();
        reader.Space();
        return new Login(tag, user, reader.AString());
    }

    // uid = "UID" SP (copy / move / fetch / search / store / uid-expunge), plus SORT and THREAD (RFC 5256).
    private static ImapCommand Uid(ref ImapSyntaxReader reader, string tag)
    {
        reader.Space();
        var name = reader.Keyword();
        if (name == "EXPUNGE")
        {
            reader.Space();
            return new Expunge(tag, ImapSequenceSet.Parse(ref reader));
        }
        return ImapMessageCommandParser.TryParse(ref reader, tag, name, uid: true)
            ?? throw ImapSyntaxReader.Fail($"Unknown UID command {name}");
    }
}
