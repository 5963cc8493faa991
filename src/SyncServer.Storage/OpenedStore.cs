using Microsoft.Data.Sqlite;
using Npgsql;
using SyncServer.Core.Changes;
using SyncServer.Core.Store;
using SyncServer.Storage.Blobs;
using SyncServer.Storage.Notifications;
using SyncServer.Storage.Sql;

namespace SyncServer.Storage;

/// <summary>The store's parts, opened over one database with its schema applied. Dispose to close connections and listeners.</summary>
public sealed class OpenedStore(
    IStore store, IDirectoryStore directory, IOutboundQueueStore queue, IDeviceStore devices, IMailboxSettingsStore mailboxSettings,
    IBlobStore blobs, IChangeNotifier notifier, Func<ValueTask> close, IOutOfOfficeStore outOfOffice) : IAsyncDisposable
{
    public IStore Store { get; } = store;
    public IDirectoryStore Directory { get; } = directory;
    public IOutboundQueueStore Queue { get; } = queue;
    public IDeviceStore Devices { get; } = devices;
    public IMailboxSettingsStore MailboxSettings { get; } = mailboxSettings;
    public IBlobStore Blobs { get; } = blobs;
    public IChangeNotifier Notifier { get; } = notifier;
    public IOutOfOfficeStore OutOfOffice { get; } = outOfOffice;

    public ValueTask DisposeAsync() => close();
}

public static class StoreHost
{
    /// <summary>
    /// Opens the configured database (creating the SQLite file and data directory when new), applies any
    /// numbered schema files not yet applied, and wires the change notifier (LISTEN/NOTIFY on PostgreSQL).
    /// </summary>
    public static async Task<OpenedStore> OpenAsync(StorageOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.DataDirectory);
        ISqlDialect dialect = options.Provider switch
        {
            StorageProvider.Sqlite => await SqliteDialect.CreateAsync(options.ConnectionString
                ?? new SqliteConnectionStringBuilder { DataSource = Path.Combine(options.DataDirectory, "syncserver.db") }.ToString(),
                cancellationToken),
            _ => new PostgresDialect(NpgsqlDataSource.Create(PostgresConnectionString(options))),
        };
        try
        {
            await SchemaMigrator.ApplyAsync(dialect, time, cancellationToken);
            IChangeNotifier notifier = dialect is PostgresDialect pg
                ? await PostgresChangeNotifier.StartAsync(pg.DataSource, PostgresConnectionString(options), time, cancellationToken)
                : new InProcessChangeNotifier();
            var blobs = new FileBlobStore(Path.Combine(options.DataDirectory, "blobs"), time);
            return new OpenedStore(new SqlStore(dialect, notifier, time), new DirectoryStore(dialect, notifier, time),
                new SqlQueueStore(dialect, time), new SqlDeviceStore(dialect, time), new SqlMailboxSettingsStore(dialect), blobs, notifier, async () =>
            {
                if (notifier is IAsyncDisposable listener)
                    await listener.DisposeAsync();
                await dialect.DisposeAsync();
            }, new SqlOutOfOfficeStore(dialect));
        }
        catch
        {
            await dialect.DisposeAsync();
            throw;
        }
    }

    // Times are integers, but keep the session in UTC so nothing server-side ever reads local time.
    private static string PostgresConnectionString(StorageOptions options)
        => new NpgsqlConnectionStringBuilder(options.ConnectionString
            ?? throw new InvalidOperationException("Storage:ConnectionString is required for the postgres provider")) { Timezone = "UTC" }.ToString();
}
