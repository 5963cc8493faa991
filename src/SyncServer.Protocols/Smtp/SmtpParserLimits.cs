using System.Collections.Frozen;

namespace SyncServer.Protocols.Smtp;

/// <summary>Limits and named tolerances of <see cref="SmtpCommandParser"/>.</summary>
public sealed record SmtpParserLimits
{
    public static readonly SmtpParserLimits Default = new();

    /// <summary>
    /// Longest command line in octets, CRLF included. RFC 5321 §4.5.3.1.4 sets 512 and lets each extension add
    /// to it (SIZE, DSN, AUTH=... each add parameters); 2048 leaves room for all the ones we offer and for
    /// an AUTH PLAIN initial response. Longer lines are refused with 500 and skipped to their CRLF.
    /// </summary>
    public int MaxCommandLineLength { get; init; } = 2048;

    /// <summary>
    /// Quirk: accept a command line ended by a bare LF. Some scripts (netcat, printf without \r) do this.
    /// Off by default: RFC 5321 §2.3.8 allows only CRLF, and treating LF as an end of line on one side but not
    /// the other is what SMTP smuggling exploits.
    /// </summary>
    public bool AllowBareLineFeed { get; init; }

    /// <summary>
    /// Quirk: accept <c>MAIL FROM: &lt;a@b&gt;</c> with spaces after the colon. RFC 5321 §4.1.2 has none, but
    /// enough old MTAs and scripts send them that refusing loses real mail; on by default.
    /// </summary>
    public bool AllowSpaceAfterColon { get; init; } = true;

    /// <summary>
    /// Extra MAIL FROM parameter keywords (upper-case) the session advertises and handles itself, e.g.
    /// <c>REQUIRETLS</c>; they come back in <see cref="MailFrom.Extensions"/>. Any other unknown one is 555.
    /// </summary>
    public IReadOnlySet<string> AdditionalMailParameters { get; init; } = FrozenSet<string>.Empty;

    /// <summary>As <see cref="AdditionalMailParameters"/> for RCPT TO.</summary>
    public IReadOnlySet<string> AdditionalRcptParameters { get; init; } = FrozenSet<string>.Empty;
}
