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
/// buffer <see cref="ImapParserLimits.MaxLineLength"/> plus the literals the limits allow.
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
        switch (ImapCommandFraming.Frame(ref reader, limits, literals: true, ref state, out var command, out outcome))
        {
            case ImapCommandFraming.Result.NeedMore:
                return false;
            case ImapCommandFraming.Result.Command:
                outcome = Parse(command.IsSingleSegment ? command.FirstSpan : command.ToArray(), limits);
                return true;
            default:
                return outcome is not null;
        }
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
