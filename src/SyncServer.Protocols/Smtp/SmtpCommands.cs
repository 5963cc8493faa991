namespace SyncServer.Protocols.Smtp;

/// <summary>One parsed SMTP command line (RFC 5321 §4.1.1 and the ESMTP extensions we offer).</summary>
public abstract record SmtpCommand;

/// <summary>EHLO: the argument as sent, a domain or an address literal such as <c>[192.0.2.1]</c>.</summary>
public sealed record Ehlo(string DomainOrAddressLiteral) : SmtpCommand;

/// <summary>HELO: as <see cref="Ehlo"/>, but the client gets no extensions.</summary>
public sealed record Helo(string DomainOrAddressLiteral) : SmtpCommand;

/// <summary>
/// MAIL FROM. <paramref name="ReversePath"/> is null for the null reverse path <c>&lt;&gt;</c> (bounces).
/// <paramref name="Extensions"/> holds the parameters the session listed in
/// <see cref="SmtpParserLimits.AdditionalMailParameters"/>, in the order sent.
/// </summary>
public sealed record MailFrom(
    SmtpAddress? ReversePath,
    long? Size,
    SmtpBodyType? Body,
    bool SmtpUtf8,
    DsnReturn? Ret,
    string? EnvId,
    string? Auth,
    IReadOnlyList<SmtpParameter> Extensions) : SmtpCommand;

/// <summary>
/// RCPT TO. The path may hold UTF-8 (<see cref="SmtpAddress.IsInternationalized"/>): only the session knows
/// whether MAIL FROM carried SMTPUTF8, so it refuses those with <c>553 5.6.7</c> itself.
/// </summary>
public sealed record RcptTo(
    SmtpAddress ForwardPath,
    DsnNotify? Notify,
    OriginalRecipient? Orcpt,
    IReadOnlyList<SmtpParameter> Extensions) : SmtpCommand;

public sealed record Data : SmtpCommand;

/// <summary>BDAT (RFC 3030): exactly <paramref name="Size"/> octets of message follow the command line.</summary>
public sealed record Bdat(long Size, bool Last) : SmtpCommand;

public sealed record Rset : SmtpCommand;

public sealed record Noop : SmtpCommand;

public sealed record Quit : SmtpCommand;

public sealed record Vrfy(string Argument) : SmtpCommand;

public sealed record Help(string? Topic) : SmtpCommand;

public sealed record StartTls : SmtpCommand;

/// <summary>
/// AUTH (RFC 4954). <paramref name="Mechanism"/> is upper-cased; <paramref name="InitialResponse"/> is the
/// base64 text as sent (<c>=</c> for an empty response), left for the SASL mechanism to decode.
/// </summary>
public sealed record Auth(string Mechanism, string? InitialResponse) : SmtpCommand;

/// <summary>BODY= of MAIL FROM (RFC 6152 8BITMIME, RFC 3030 BINARYMIME).</summary>
public enum SmtpBodyType
{
    SevenBit,
    EightBitMime,
    BinaryMime,
}

/// <summary>RET= of MAIL FROM (RFC 3461 §4.3): what a DSN returns of the message.</summary>
public enum DsnReturn
{
    Full,
    Headers,
}

/// <summary>NOTIFY= of RCPT TO (RFC 3461 §4.1). <see cref="Never"/> is never combined with the others.</summary>
[Flags]
public enum DsnNotify
{
    Never = 1,
    Success = 2,
    Failure = 4,
    Delay = 8,
}

/// <summary>ORCPT= of RCPT TO (RFC 3461 §4.2), the address xtext-decoded.</summary>
public sealed record OriginalRecipient(string AddressType, string Address);

/// <summary>An ESMTP parameter this parser does not type; the keyword upper-cased, the value as sent.</summary>
public sealed record SmtpParameter(string Keyword, string? Value);
