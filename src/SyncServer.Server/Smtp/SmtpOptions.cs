using SyncServer.Protocols.Smtp;
using SyncServer.Server.Hosting;

namespace SyncServer.Server.Smtp;

/// <summary>What the SMTP session needs of the configuration, taken once from <see cref="SyncServerSettings"/>.</summary>
public sealed record SmtpOptions
{
    /// <summary>Our name in the greeting and the EHLO reply; no version is shown.</summary>
    public required string ServerName { get; init; }

    public long MaxMessageSize { get; init; } = 50L * 1024 * 1024;
    public int MaxRecipients { get; init; } = 100;
    public int MaxSessionsPerAddress { get; init; } = 20;

    /// <summary>Error replies after which the session is closed with <c>421</c> (address harvesting, confused clients).</summary>
    public int MaxErrors { get; init; } = 10;

    public SmtpTimeouts Timeouts { get; init; } = new();
    public SmtpParserLimits ParserLimits { get; init; } = SmtpParserLimits.Default;

    public SmtpBodyLimits BodyLimits => new() { MaxMessageSize = MaxMessageSize };

    public static SmtpOptions From(SyncServerSettings settings) => new()
    {
        ServerName = settings.ServerName,
        MaxMessageSize = settings.Limits.MaxMessageSize,
        MaxRecipients = settings.Limits.MaxRecipients,
        MaxSessionsPerAddress = settings.Limits.MaxSmtpSessionsPerIp,
        MaxErrors = settings.Limits.MaxSmtpErrors,
    };
}

/// <summary>
/// Server-side timeouts after RFC 5321 §4.5.3.2. The RFC's list is mostly the client's; what the server waits for is
/// the next command (§4.5.3.2.7, 5 min, also covering MAIL/RCPT and the wait after the greeting) and the next block
/// of message data (§4.5.3.2.5, 3 min). The client waits 10 min for the reply after the data (§4.5.3.2.6), so a
/// commit that takes longer is abandoned with a temporary failure rather than answered to nobody.
/// </summary>
public sealed record SmtpTimeouts
{
    public TimeSpan Command { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan DataBlock { get; init; } = TimeSpan.FromMinutes(3);
    public TimeSpan Commit { get; init; } = TimeSpan.FromMinutes(10);
}
