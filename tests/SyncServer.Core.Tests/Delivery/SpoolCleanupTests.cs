using SyncServer.Core.Delivery;

namespace SyncServer.Core.Tests.Delivery;

public sealed class SpoolCleanupTests
{
    [Test]
    public void Files_from_before_the_start_are_removed_and_newer_ones_kept()
    {
        var directory = Path.Combine(Path.GetTempPath(), "syncserver-spool-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        try
        {
            var startedAt = DateTimeOffset.UtcNow;
            var leftover = Path.Combine(directory, "crashed.eml");
            File.WriteAllText(leftover, "half a message");
            File.SetLastWriteTimeUtc(leftover, startedAt.UtcDateTime.AddMinutes(-5));
            var current = Path.Combine(directory, "arriving.eml");
            File.WriteAllText(current, "being spooled by another process now");
            File.SetLastWriteTimeUtc(current, startedAt.UtcDateTime.AddSeconds(1));

            Assert.That(SpoolCleanup.RemoveLeftovers(directory, startedAt), Is.EqualTo(1));
            Assert.That(System.IO.Directory.GetFiles(directory), Is.EqualTo(new[] { current }));
            Assert.That(SpoolCleanup.RemoveLeftovers(Path.Combine(directory, "missing"), startedAt), Is.Zero);
        }
        finally
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }
}
