using SyncServer.Core.Directory;

namespace SyncServer.Core.Tests.Directory;

public sealed class ByteSizeTests
{
    [TestCase("1024", 1024L)]
    [TestCase("0", 0L)]
    [TestCase("10K", 10L * 1024)]
    [TestCase("500M", 500L * 1024 * 1024)]
    [TestCase("500m", 500L * 1024 * 1024)]
    [TestCase("2G", 2L * 1024 * 1024 * 1024)]
    [TestCase("2GB", 2L * 1024 * 1024 * 1024)]
    [TestCase("1T", 1L << 40)]
    public void Parses(string text, long expected)
    {
        Assert.That(ByteSize.TryParse(text, out var bytes), Is.True);
        Assert.That(bytes, Is.EqualTo(expected));
    }

    [TestCase("")]
    [TestCase(null)]
    [TestCase("M")]
    [TestCase("-1")]
    [TestCase("1.5G")]
    [TestCase("2X")]
    [TestCase("2 G")]
    [TestCase("99999999999T")]
    [TestCase("1e6")]
    public void Rejects(string? text)
        => Assert.That(ByteSize.TryParse(text, out _), Is.False);

    [TestCase(2L * 1024 * 1024 * 1024, "2G")]
    [TestCase(500L * 1024 * 1024, "500M")]
    [TestCase(1000L, "1000")]
    [TestCase(0L, "0")]
    public void Formats(long bytes, string expected)
        => Assert.That(ByteSize.Format(bytes), Is.EqualTo(expected));
}
