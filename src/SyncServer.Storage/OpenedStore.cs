using SyncServer.Core.Changes;
using SyncServer.Core.Store;

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
    public static Task<OpenedStore> OpenAsync(StorageOptions options, TimeProvider time, CancellationToken cancellationToken)
        => throw new NotImplementedException("built in the storage step");
}
