using Microsoft.Data.Sqlite;
using Npgsql;
using SyncServer.Core.Changes;
using SyncServer.Core.Store;
using SyncServer.Storage.Blobs;
using SyncServer.Storage.Notifications;
using SyncServer.Storage.Sql;

namespace SyncServer.Storage;

/// <summary>The store's parts, opened over one database with its schema applied. Dispose to close connections and listeners.</summary>
public sealed class OpenedStore(IStore store, IDirectoryStore directory, IBlobStore blobs, IChangeNotifier notifier, Func<ValueTask> close) : IAsyncDisposable
{
    public IStore Store { get; } = store;
    public IDirectoryStore Directory { get; } = directory;
    public IBlobStore Blobs { get; } = blobs;
    public IChangeNotifier Notifier { get; } = notifier;

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
        var blobs = new FileBlobStore(Path.Combine(options.DataDirectory, "blobs"), time);
        if (options.Provider == StorageProvider.Sqlite)
        {
            var connectionString = options.ConnectionString
                ?? new SqliteConnectionStringBuilder { DataSource = Path.Combine(options.DataDirectory, "syncserver.db") }.ToString();
            var dialect = await SqliteDialect.CreateAsync(connectionString, cancellationToken);
            var notifier = new InProcessChangeNotifier();
            return await OpenAsync(dialect, blobs, notifier, time, dialect.DisposeAsync, cancellationToken);
        }

        var postgres = options.ConnectionString
            ?? throw new InvalidOperationException("Storage:ConnectionString is required for the postgres provider");
        // Times are integers, but keep the session in UTC so nothing server-side ever reads local time.
        var builder = new NpgsqlConnectionStringBuilder(postgres) { Timezone = "UTC" };
        var pg = new PostgresDialect(NpgsqlDataSource.Create(builder));
        try
        {
            var pgNotifier = await PostgresChangeNotifier.StartAsync(pg.DataSource, builder.ToString(), time, cancellationToken);
            return await OpenAsync(pg, blobs, pgNotifier, time, async () =>
            {
                await pgNotifier.DisposeAsync();
                await pg.DisposeAsync();
            }, cancellationToken);
        }
        catch
        {
            await pg.DisposeAsync();
            throw;
        }
    }

    private static async Task<OpenedStore> OpenAsync(ISqlDialect dialect, IBlobStore blobs, IChangeNotifier notifier, TimeProvider time,
        Func<ValueTask> close, CancellationToken cancellationToken)
    {
        await SchemaMigrator.ApplyAsync(dialect, time, cancellationToken);
        return new OpenedStore(new SqlStore(dialect, notifier, time), new DirectoryStore(dialect, notifier, time), blobs, notifier, close);
    }
}
