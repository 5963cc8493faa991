namespace SyncServer.Server.Hosting;

/// <summary>What delivery does when a filter daemon cannot answer.</summary>
public enum FilterFailMode
{
    /// <summary>Defer the message with <c>451 4.7.1</c>; the sending server retries later.</summary>
    Closed = 0,
    /// <summary>Deliver it without that filter's verdict and log a warning.</summary>
    Open = 1,
}

/// <summary>The <c>Filters</c> section: the spam and virus daemons delivery asks (none unless configured).</summary>
public sealed class FilterSettings
{
    public FilterFailMode FailMode { get; set; } = FilterFailMode.Closed;

    /// <summary>How long connecting to a daemon may take.</summary>
    public string ConnectTimeout { get; set; } = "5s";

    /// <summary>How long one whole exchange with a daemon may take (sending the message and reading its answer).</summary>
    public string Timeout { get; set; } = "60s";

    public SpamFilterSettings Spam { get; set; } = new();
    public VirusFilterSettings Virus { get; set; } = new();

    public TimeSpan ConnectTimeoutSpan => QueueSettings.ParseDuration(ConnectTimeout);
    public TimeSpan TimeoutSpan => QueueSettings.ParseDuration(Timeout);

    public string? Validate()
    {
        if (!QueueSettings.TryParseDuration(ConnectTimeout, out _) || !QueueSettings.TryParseDuration(Timeout, out _))
            return "Filters:ConnectTimeout and Filters:Timeout must be durations (e.g. 5s, 1m)";
        if (Spam.Spamd is { } spamd && !QueueSettings.TryParseSmartHost(spamd, out _, out _))
            return "Filters:Spam:Spamd must be host:port";
        if (Virus.Clamd is { } clamd && !QueueSettings.TryParseSmartHost(clamd, out _, out _))
            return "Filters:Virus:Clamd must be host:port";
        if (Spam.RejectScore is { } reject && reject < Spam.JunkScore)
            return "Filters:Spam:RejectScore must not be below Filters:Spam:JunkScore";
        return Spam.MaxSize < 1 || Virus.MaxSize < 1 ? "Filters:Spam:MaxSize and Filters:Virus:MaxSize must be at least 1" : null;
    }
}

/// <summary>The <c>Filters:Spam</c> section: SpamAssassin's spamd, asked about mail from other servers.</summary>
public sealed class SpamFilterSettings
{
    /// <summary><c>host:port</c> of spamd (its default port is 783); no spam filter when empty.</summary>
    public string? Spamd { get; set; }

    /// <summary>From this score on mail is flagged <c>X-Spam-Flag: YES</c> and filed into Junk.</summary>
    public double JunkScore { get; set; } = 5.0;

    /// <summary>From this score on mail is refused with <c>554 5.7.1</c>; never when empty.</summary>
    public double? RejectScore { get; set; }

    /// <summary>Larger messages are not scored (spamc's own limit is 500 KB).</summary>
    public long MaxSize { get; set; } = 512 * 1024;
}

/// <summary>The <c>Filters:Virus</c> section: ClamAV's clamd, asked about mail from other servers and submitted mail.</summary>
public sealed class VirusFilterSettings
{
    /// <summary><c>host:port</c> of clamd's TCP socket (<c>TCPSocket</c> in clamd.conf, usually 3310); no virus scan when empty.</summary>
    public string? Clamd { get; set; }

    /// <summary>Larger messages are not scanned; keep it at or below clamd's <c>StreamMaxLength</c> (25 MB by default).</summary>
    public long MaxSize { get; set; } = 25L * 1024 * 1024;
}
