namespace SyncServer.Protocols.Smtp;

/// <summary>Limits and named tolerances of <see cref="SmtpDataReader"/> and <see cref="SmtpBdatReader"/>.</summary>
public sealed record SmtpBodyLimits
{
    public static readonly SmtpBodyLimits Default = new();

    /// <summary>Largest message in octets (after dot-unstuffing); beyond it the body is consumed but not written.</summary>
    public long MaxMessageSize { get; init; } = 50L * 1024 * 1024;

    /// <summary>
    /// Longest DATA text line in octets, CRLF included (RFC 5321 §4.5.3.1.6: 1000). A longer line is reported
    /// through <see cref="SmtpDataReader.HasOverlongLine"/> and written unchanged; the session decides.
    /// </summary>
    public int MaxLineLength { get; init; } = 1000;

    /// <summary>
    /// Quirk: take a bare LF in DATA as a line end and store it as CRLF (Unix tools that pipe LF text). Even
    /// then only CRLF "." CRLF ends the data and a bare CR is refused, so no LF-only sequence can end a message
    /// early (SMTP smuggling). Off by default: bare CR or LF anywhere gets <c>554 5.6.0</c> after the terminator.
    /// </summary>
    public bool AllowBareLineFeed { get; init; }
}
