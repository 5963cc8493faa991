using System.Text;
using SyncServer.Core.Model;
using SyncServer.Storage;

// Verbs:
//   write-item <sqlite|postgres> <connection-string-or-data-dir> <accountId> <collectionId>
//       commits one item and exits.
//   crash-writer <data-dir>
//       creates an account, then loops: write a blob, begin, add an item, pause, commit — until killed.
//       Prints "ready" once the first item is committed.

if (args is ["write-item", var provider, var target, var account, var collection])
{
    var options = provider == "postgres"
        ? new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = target, DataDirectory = Path.Combine(Path.GetTempPath(), "syncserver-testprocess-blobs") }
        : new StorageOptions { DataDirectory = target };
    await using var opened = await StoreHost.OpenAsync(options, TimeProvider.System, CancellationToken.None);
    await AddItemAsync(opened, new AccountId(long.Parse(account)), new CollectionId(long.Parse(collection)), "from another process", TimeSpan.Zero);
    return 0;
}

if (args is ["crash-writer", var dataDirectory])
{
    await using var opened = await StoreHost.OpenAsync(new StorageOptions { DataDirectory = dataDirectory }, TimeProvider.System, CancellationToken.None);
    var created = await opened.Directory.CreateAccountAsync("crash@example.com", "Crash", "x", null, AccountKind.User, CancellationToken.None);
    var inbox = (await opened.Store.ListCollectionsAsync(created.Id, CancellationToken.None)).Single(c => c.Role == CollectionRole.Inbox);
    for (var i = 0; ; i++)
    {
        await AddItemAsync(opened, created.Id, inbox.Id, $"message {i} " + new string('x', 20_000 + i), TimeSpan.FromMilliseconds(Random.Shared.Next(0, 5)));
        if (i == 0)
            Console.WriteLine("ready");
    }
}

Console.Error.WriteLine("usage: write-item <sqlite|postgres> <connstr-or-datadir> <accountId> <collectionId> | crash-writer <datadir>");
return 2;

static async Task AddItemAsync(OpenedStore opened, AccountId account, CollectionId collection, string body, TimeSpan pause)
{
    var (blob, size) = await opened.Blobs.WriteAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), CancellationToken.None);
    await using var transaction = await opened.Store.BeginAsync(account, CancellationToken.None);
    await transaction.AddItemAsync(collection, new NewItem(blob, size, DateTimeOffset.UtcNow), CancellationToken.None);
    await Task.Delay(pause);
    await transaction.CommitAsync(CancellationToken.None);
}
