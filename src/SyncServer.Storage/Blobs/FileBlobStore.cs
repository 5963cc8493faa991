using System.Security.Cryptography;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Storage.Blobs;

/// <summary>
/// Blobs as files named by their SHA-256 under <c>{root}/ab/cd/abcd…</c>. A write goes to <c>tmp/</c> first, is
/// fsync'd, renamed into place and its directory fsync'd, so a file under its final name is always whole.
/// </summary>
internal sealed class FileBlobStore : IBlobStore
{
    private const string TempFolder = "tmp";
    private readonly string _root;
    private readonly TimeProvider _time;

    public FileBlobStore(string root, TimeProvider time)
    {
        _root = Path.GetFullPath(root);
        _time = time;
        Directory.CreateDirectory(Path.Combine(_root, TempFolder));
    }

    public async Task<(BlobId Id, long Size)> WriteAsync(Stream content, CancellationToken cancellationToken)
    {
        var temp = Path.Combine(_root, TempFolder, Guid.NewGuid().ToString("N"));
        BlobId id;
        long size = 0;
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    size += read;
                }
                file.Flush(flushToDisk: true);
            }
            id = new BlobId(Convert.ToHexStringLower(hash.GetHashAndReset()));
            var target = PathOf(id);
            var directory = Path.GetDirectoryName(target)!;
            if (!Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory);
                DirectorySync.Flush(Path.GetDirectoryName(directory)!); // the new ab/cd entry in ab/
                DirectorySync.Flush(Path.GetDirectoryName(Path.GetDirectoryName(directory)!)!); // ab/ in the root
            }
            if (File.Exists(target))
                File.Delete(temp); // same bytes already stored
            else
                MoveIntoPlace(temp, target);
            DirectorySync.Flush(directory);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        return (id, size);
    }

    public Stream OpenRead(BlobId id)
    {
        try
        {
            return new FileStream(PathOf(id), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 4096, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new StoreNotFoundException($"blob {id} not found");
        }
    }

    public bool Exists(BlobId id) => File.Exists(PathOf(id));

    public async Task<int> SweepAsync(Func<BlobId, CancellationToken, Task<bool>> isReferenced, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        var cutoff = _time.GetUtcNow().UtcDateTime - gracePeriod;
        var deleted = 0;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(_root, TempFolder)))
        {
            if (File.GetLastWriteTimeUtc(file) < cutoff && TryDelete(file))
                deleted++;
        }
        foreach (var file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!TryParseId(file, out var id) || File.GetLastWriteTimeUtc(file) >= cutoff)
                continue;
            // The grace period covers a blob written just before the transaction that references it commits.
            if (!await isReferenced(id, cancellationToken) && TryDelete(file))
                deleted++;
        }
        return deleted;
    }

    private string PathOf(BlobId id)
        => Path.Combine(_root, id.Sha256Hex[..2], id.Sha256Hex[2..4], id.Sha256Hex);

    private bool TryParseId(string file, out BlobId id)
    {
        var name = Path.GetFileName(file);
        var ok = name.Length == 64 && name.All(char.IsAsciiHexDigitLower) && PathOf(new BlobId(name)) == file;
        id = ok ? new BlobId(name) : default;
        return ok;
    }

    private static void MoveIntoPlace(string temp, string target)
    {
        try
        {
            File.Move(temp, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            File.Delete(temp); // a concurrent writer of the same bytes won
        }
    }

    private static bool TryDelete(string file)
    {
        try
        {
            File.Delete(file);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
