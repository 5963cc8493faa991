namespace SyncServer.Storage;

public enum StorageProvider
{
    Sqlite,
    Postgres,
}

/// <summary>The configuration section <c>Storage</c> plus the data directory (DESIGN.md §5).</summary>
public sealed class StorageOptions
{
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>For PostgreSQL, a Npgsql connection string. For SQLite, optional: defaults to <c>{DataDirectory}/syncserver.db</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Where blobs (and the SQLite database) live.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>How long change-log rows (and so tombstones) are kept; older ones are pruned.</summary>
    public TimeSpan ChangeRetention { get; set; } = TimeSpan.FromDays(90);
}
