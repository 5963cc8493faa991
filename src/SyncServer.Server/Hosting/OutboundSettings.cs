using System.Globalization;
using MailKit.Security;

namespace SyncServer.Server.Hosting;

/// <summary>The <c>Queue</c> section: how the outbound queue retries, gives up and relays.</summary>
public sealed class QueueSettings
{
    /// <summary>Waits between attempts, as durations (<c>5m 15m 30m 1h 2h 4h</c>); the last one repeats.</summary>
    public string RetrySchedule { get; set; } = "5m 15m 30m 1h 2h 4h";

    /// <summary>How long a recipient is retried before it fails and its sender gets a bounce.</summary>
    public string MaxAge { get; set; } = "5d";

    /// <summary>After how long still undelivered the sender gets one delay warning.</summary>
    public string DelayWarningAfter { get; set; } = "4h";

    /// <summary>The port mail exchangers listen on; only tests change it (their fixture MX listens on a free port).</summary>
    public int RemotePort { get; set; } = 25;

    /// <summary><c>host:port</c> that relays all outbound mail instead of the recipients' mail exchangers.</summary>
    public string? SmartHost { get; set; }
    public string? SmartHostUser { get; set; }
    public string? SmartHostPassword { get; set; }
    public SecureSocketOptions SmartHostTls { get; set; } = SecureSocketOptions.StartTls;

    public IReadOnlyList<TimeSpan> RetryDelays => RetrySchedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ParseDuration).ToList();
    public TimeSpan MaxAgeSpan => ParseDuration(MaxAge);
    public TimeSpan DelayWarningSpan => ParseDuration(DelayWarningAfter);

    public string? Validate()
    {
        var durations = RetrySchedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Append(MaxAge).Append(DelayWarningAfter);
        if (durations.FirstOrDefault(d => !TryParseDuration(d, out _)) is { } bad)
            return $"Queue: '{bad}' is not a duration (e.g. 30s, 5m, 4h, 5d)";
        if (RetryDelays.Count == 0)
            return "Queue:RetrySchedule needs at least one duration";
        if (RemotePort is < 1 or > 65535)
            return "Queue:RemotePort must be a port number";
        return SmartHost is not null && !TryParseSmartHost(SmartHost, out _, out _)
            ? "Queue:SmartHost must be host:port"
            : null;
    }

    public static bool TryParseSmartHost(string text, out string host, out int port)
    {
        var colon = text.LastIndexOf(':');
        host = colon > 0 ? text[..colon] : "";
        port = 0;
        return colon > 0 && int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and < 65536;
    }

    internal static TimeSpan ParseDuration(string text)
        => TryParseDuration(text, out var span) ? span : throw new FormatException($"'{text}' is not a duration");

    internal static bool TryParseDuration(string text, out TimeSpan span)
    {
        span = default;
        if (text.Length < 2 || !int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            return false;
        span = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => TimeSpan.Zero,
        };
        return span > TimeSpan.Zero;
    }
}

/// <summary>The <c>Dns</c> section.</summary>
public sealed class DnsSettings
{
    /// <summary><c>address[:port]</c> of the resolver to ask; the system's resolvers when empty (tests point it at a fixture).</summary>
    public string? Server { get; set; }
}

/// <summary>The <c>Dkim</c> section. Keys live in <c>{DataDirectory}/dkim/{domain}.pem</c>.</summary>
public sealed class DkimSettings
{
    public string Selector { get; set; } = "syncserver";
}
