using System.Security.Cryptography;
using SyncServer.Core.Model;

namespace SyncServer.Storage.Tests;

[TestFixture]
public sealed class SqliteStoreTests : StoreContractTests
{
    private string _directory = "";

    protected override Task<StorageOptions> CreateOptionsAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "syncserver-test-" + Guid.NewGuid().ToString("N"));
        return Task.FromResult(new StorageOptions { DataDirectory = _directory });
    }

    protected override Task DropAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Test]
    public async Task CrashWriter_KilledMidTransaction_LeavesEveryItemsBlobWholeAndNoHalfWrittenBlob()
    {
        await Opened.DisposeAsync();
        using (var writer = TestProcess.Start("crash-writer", _directory))
        {
            try
            {
                var ready = await writer.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
                Assert.That(ready, Is.EqualTo("ready"));
                await Task.Delay(TimeSpan.FromSeconds(1.5));
            }
            finally
            {
                writer.Kill(entireProcessTree: true);
                await writer.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        await ReopenAsync();

        var account = (await Opened.Directory.GetAccountAsync("crash@example.com", CancellationToken.None))!;
        var inbox = await CollectionAsync(account.Id, CollectionRole.Inbox);
        var items = await Opened.Store.ListItemsAsync(inbox.Id, new ImapUid(0), int.MaxValue, CancellationToken.None);
        Assert.That(items, Is.Not.Empty);
        foreach (var item in items)
        {
            await using var blob = Opened.Blobs.OpenRead(item.BlobId);
            Assert.That(Convert.ToHexStringLower(await SHA256.HashDataAsync(blob)), Is.EqualTo(item.BlobId.Sha256Hex));
        }
        var blobRoot = Path.Combine(_directory, "blobs");
        var blobFiles = Directory.EnumerateFiles(blobRoot, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(Path.Combine(blobRoot, "tmp"), StringComparison.Ordinal)).ToList();
        Assert.That(blobFiles, Has.Count.GreaterThanOrEqualTo(items.Count));
        foreach (var file in blobFiles)
            Assert.That(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))), Is.EqualTo(Path.GetFileName(file)), file);
    }
}
