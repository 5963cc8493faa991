namespace SyncServer.Core.Delivery;

/// <summary>
/// A spool file is deleted when its delivery ends, but a crash (SIGKILL, power loss) leaves it behind. None of them
/// holds anything committed (a committed message lives in the blob store), so at startup they are only garbage.
/// </summary>
public static class SpoolCleanup
{
    /// <summary>
    /// Deletes the spool files in <paramref name="directory"/> last written before <paramref name="startedAt"/>: a
    /// CLI command running alongside the starting server may be spooling a message right now. Returns how many.
    /// </summary>
    public static int RemoveLeftovers(string directory, DateTimeOffset startedAt)
    {
        if (!System.IO.Directory.Exists(directory))
            return 0;
        var removed = 0;
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles())
        {
            if (file.LastWriteTimeUtc >= startedAt.UtcDateTime)
                continue;
            file.Delete();
            removed++;
        }
        return removed;
    }
}
