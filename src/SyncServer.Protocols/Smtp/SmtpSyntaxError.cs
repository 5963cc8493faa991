namespace SyncServer.Protocols.Smtp;

/// <summary>
/// A command line the parser refused. The line has been consumed, so the session answers with
/// <see cref="ToReply"/> and goes on reading the next command.
/// </summary>
public sealed record SmtpSyntaxError(int Code, string EnhancedCode, string Message)
{
    public SmtpReply ToReply() => new(Code, EnhancedCode, [Message]);

    // Enhanced codes from RFC 3463 §3.2/§3.6 (X.1.3, X.1.7, X.5.x) and RFC 6531 (X.6.7).
    // X.5.6 is deliberately not used for long lines: RFC 4954 registers it for AUTH exchange lines only.
    public static readonly SmtpSyntaxError LineTooLong = new(500, "5.5.2", "Line too long");
    public static readonly SmtpSyntaxError BareLineFeed = new(500, "5.5.2", "Command line must end with CRLF");
    public static readonly SmtpSyntaxError UnknownCommand = new(500, "5.5.1", "Command unrecognized");
    public static readonly SmtpSyntaxError NonAsciiWithoutSmtpUtf8 =
        new(553, "5.6.7", "Non-ASCII address requires SMTPUTF8");

    internal static SmtpSyntaxError Arguments(string message) => new(501, "5.5.4", message);

    internal static SmtpSyntaxError UnknownParameter(string keyword) =>
        new(555, "5.5.4", $"Parameter {keyword} not recognized");

    internal static SmtpSyntaxError Path(SmtpPathKind kind, string message) =>
        new(501, kind == SmtpPathKind.Reverse ? "5.1.7" : "5.1.3", message);
}
