namespace SyncServer.Protocols.Imap;

/// <summary>
/// What one successful <see cref="ImapCommandParser.TryParse"/> call yields: an <see cref="ImapCommand"/>,
/// an <see cref="ImapSyntaxError"/>, or an <see cref="ImapContinuationRequest"/>.
/// </summary>
public abstract record ImapParseOutcome;

/// <summary>
/// The command announced a synchronizing literal: the session answers <c>+ Ready</c> and keeps calling the
/// parser, which returns the command once the literal and the rest of the line have arrived. Literals over the
/// limits never get here: they come back as an <see cref="ImapSyntaxError"/> instead. It comes for every
/// synchronizing literal, even one whose octets arrived early, so that outcomes never depend on how the input
/// was split into reads. APPEND's message literal is the exception: the session answers it (see <see cref="Append"/>).
/// </summary>
public sealed record ImapContinuationRequest(string? Tag, long LiteralSize) : ImapParseOutcome;

/// <summary>
/// A command the parser refused. It has been consumed with all its literals, so the session writes
/// <see cref="ToResponse"/> and goes on with the next command.
/// </summary>
public sealed record ImapSyntaxError(
    string? Tag, string Message, ImapStatus Status = ImapStatus.Bad, ImapResponseCode? Code = null) : ImapParseOutcome
{
    /// <summary>Tagged when the tag could be read, otherwise <c>* BAD</c> (RFC 9051 §7.1.3).</summary>
    public ImapStatusResponse ToResponse() => new(Tag, Status, Code, Message);
}
