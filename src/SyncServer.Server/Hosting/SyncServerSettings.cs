using SyncServer.Core.Credentials;
using SyncServer.Storage;

namespace SyncServer.Server.Hosting;

/// <summary>The whole configuration (DESIGN.md §5), bound once from the config file and <c>SYNCSERVER__SECTION__KEY</c> variables.</summary>
public sealed class SyncServerSettings
{
    public string DataDirectory { get; set; } = "./data";

    /// <summary>The host name the server gives itself in protocol greetings (SMTP banner and EHLO).</summary>
    public string ServerName { get; set; } = Environment.MachineName;
    public StorageSettings Storage { get; set; } = new();
    public ListenerSettings Listeners { get; set; } = new();
    public LimitSettings Limits { get; set; } = new();
    public TlsSettings Tls { get; set; } = new();
    public SecuritySettings Security { get; set; } = new();
    public QueueSettings Queue { get; set; } = new();
    public DnsSettings Dns { get; set; } = new();
    public DkimSettings Dkim { get; set; } = new();
    public MailSettings Mail { get; set; } = new();
    public ActiveSyncSettings ActiveSync { get; set; } = new();
    public FilterSettings Filters { get; set; } = new();

    public StorageOptions ToStorageOptions() => new()
    {
        Provider = Storage.Provider,
        ConnectionString = Storage.ConnectionString,
        DataDirectory = Path.GetFullPath(DataDirectory),
        ChangeRetention = TimeSpan.FromDays(Storage.ChangeRetentionDays),
    };

    /// <summary>The first setting out of range, as a one-line message; null when all are fine.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory))
            return "DataDirectory is empty";
        if (Storage.Provider == StorageProvider.Postgres && string.IsNullOrWhiteSpace(Storage.ConnectionString))
            return "Storage:ConnectionString is required for postgres";
        if (Storage.ChangeRetentionDays < 1)
            return "Storage:ChangeRetentionDays must be at least 1";
        if (string.IsNullOrWhiteSpace(ServerName) || ServerName.Any(c => c is ' ' or '\r' or '\n'))
            return "ServerName must be one host name";
        if (Limits.MaxMessageSize < 1024)
            return "Limits:MaxMessageSize must be at least 1024 bytes";
        if (Limits.MaxRecipients < 1 || Limits.MaxSmtpSessionsPerIp < 1 || Limits.MaxSmtpErrors < 1)
            return "Limits:MaxRecipients, MaxSmtpSessionsPerIp and MaxSmtpErrors must be at least 1";
        if (Security.PasswordIterations < 1)
            return "Security:PasswordIterations must be at least 1";
        if (!string.IsNullOrEmpty(Tls.KeyPath) && string.IsNullOrEmpty(Tls.CertificatePath))
            return "Tls:KeyPath needs Tls:CertificatePath";
        if (Queue.Validate() is { } queue)
            return queue;
        if (Filters.Validate() is { } filters)
            return filters;
        if (Dns.Server is { } dns && !System.Net.IPEndPoint.TryParse(dns, out _))
            return "Dns:Server must be an IP address with an optional :port";
        return Listeners.Ports().FirstOrDefault(p => p.Port is < 0 or > 65535) is { Name: not null } bad
            ? $"Listeners:{bad.Name} must be a port number (0 disables it)"
            : null;
    }
}

/// <summary>The <c>Mail</c> section: what inbound (MX) delivery does with its checks.</summary>
public sealed class ActiveSyncSettings
{
    /// <summary>Overrides of the provisioning policy's values by EASProvisionDoc element name (see <c>ProvisioningPolicy</c>).</summary>
    public Dictionary<string, string> Policy { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Seconds a Sync may spend exporting items before it answers MoreAvailable, for every device; unset: by device class
    /// (see <c>SyncTimeBudget</c>: 25 s, 80 s for Samsung, 200 s for Apple and Outlook).
    /// </summary>
    public int? SyncTimeBudgetSeconds { get; set; }

    /// <summary>Devices an account may have; a new one beyond it removes the least recently seen (see <c>DeviceCap</c>). 0: no limit.</summary>
    public int MaxDevicesPerAccount { get; set; }
}

public sealed class MailSettings
{
    /// <summary>Refuse (550 5.7.1) mail failing DMARC whose domain says <c>p=reject</c>; off, it is filed into Junk.</summary>
    public bool EnforceDmarcReject { get; set; }
}

public sealed class StorageSettings
{
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;
    public string? ConnectionString { get; set; }
    public int ChangeRetentionDays { get; set; } = 90;
}

/// <summary>Port per listener; 0 disables one. Defaults are the quick-start ports.</summary>
public sealed class ListenerSettings
{
    public int Http { get; set; } = 8080;
    public int Https { get; set; } = 8443;
    public int Smtp { get; set; } = 2525;
    public int Submission { get; set; } = 1587;
    public int Smtps { get; set; } = 1465;
    public int Imap { get; set; } = 1143;
    public int Imaps { get; set; } = 1993;
    public int Pop3 { get; set; } = 1110;
    public int Pop3s { get; set; } = 1995;

    public IEnumerable<(string Name, int Port)> Ports() =>
    [
        (nameof(Http), Http), (nameof(Https), Https), (nameof(Smtp), Smtp), (nameof(Submission), Submission),
        (nameof(Smtps), Smtps), (nameof(Imap), Imap), (nameof(Imaps), Imaps), (nameof(Pop3), Pop3), (nameof(Pop3s), Pop3s),
    ];
}

public sealed class LimitSettings
{
    public long MaxMessageSize { get; set; } = 50L * 1024 * 1024;

    /// <summary>Recipients of one SMTP transaction; more get <c>452 4.5.3</c> (RFC 5321 §4.5.3.1.8 asks for at least 100).</summary>
    public int MaxRecipients { get; set; } = 100;

    /// <summary>Concurrent SMTP sessions from one remote address; more get <c>421 4.7.0</c> at connect.</summary>
    public int MaxSmtpSessionsPerIp { get; set; } = 20;

    /// <summary>Error replies in one SMTP session before it is closed with <c>421 4.7.0</c>.</summary>
    public int MaxSmtpErrors { get; set; } = 10;
}

/// <summary>A PEM certificate and key, or a PFX file; with neither, a self-signed certificate is made in the data directory.</summary>
public sealed class TlsSettings
{
    public string? CertificatePath { get; set; }
    public string? KeyPath { get; set; }
    public string? PfxPath { get; set; }
    public string? PfxPassword { get; set; }
}

public sealed class SecuritySettings
{
    public int PasswordIterations { get; set; } = PasswordHasher.DefaultIterations;
}
