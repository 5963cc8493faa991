using SyncServer.Core.Model;

namespace SyncServer.Core.Store;

/// <summary>
/// Content-addressed bodies. A write is durable when it returns (temp file, fsync, rename, fsync of the
/// directory), so the item that references it can be committed afterwards.
/// </summary>
public interface IBlobStore
{
    /// <summary>Writes the stream's bytes; returns their id and length. Writing the same bytes twice stores them once.</summary>
    Task<(BlobId Id, long Size)> WriteAsync(Stream content, CancellationToken cancellationToken);

    /// <summary>Opens a blob for reading; throws <see cref="StoreNotFoundException"/> when it is absent.</summary>
    Stream OpenRead(BlobId id);

    bool Exists(BlobId id);

    /// <summary>
    /// Deletes blobs that no item references and that are older than <paramref name="gracePeriod"/> (a blob is written
    /// before the transaction that references it commits), and stale temporary files. Returns how many were deleted.
    /// </summary>
    Task<int> SweepAsync(Func<BlobId, CancellationToken, Task<bool>> isReferenced, TimeSpan gracePeriod, CancellationToken cancellationToken);
}
