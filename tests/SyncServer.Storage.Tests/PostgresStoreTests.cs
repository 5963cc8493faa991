using Npgsql;
using SyncServer.Core.Model;

namespace SyncServer.Storage.Tests;

/// <summary>A fresh database per test on the server named by SYNCSERVER_TEST_POSTGRES (./test.sh starts one).</summary>
[TestFixture]
public sealed class PostgresStoreTests : StoreContractTests
{
    private string _server = "";
    private string _database = "";
    private string _blobDirectory = "";

    protected override async Task<StorageOptions> CreateOptionsAsync()
    {
        _server = Environment.GetEnvironmentVariable("SYNCSERVER_TEST_POSTGRES") ?? "";
        if (_server.Length == 0)
            Assert.Fail("set SYNCSERVER_TEST_POSTGRES or run ./test.sh");
        _database = "syncserver_test_" + Guid.NewGuid().ToString("N");
        await AdminAsync($"CREATE DATABASE {_database}");
        _blobDirectory = Path.Combine(Path.GetTempPath(), "syncserver-test-" + Guid.NewGuid().ToString("N"));
        return new StorageOptions
        {
            Provider = StorageProvider.Postgres,
            ConnectionString = new NpgsqlConnectionStringBuilder(_server) { Database = _database }.ToString(),
            DataDirectory = _blobDirectory,
        };
    }

    protected override async Task DropAsync()
    {
        if (_database.Length > 0)
            await AdminAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
        if (Directory.Exists(_blobDirectory))
            Directory.Delete(_blobDirectory, recursive: true);
    }

    [Test]
    public async Task CommitInAnotherProcess_WakesSubscriberInThisProcess()
    {
        var account = await CreateUserAsync("remote@example.com");
        var inbox = await CollectionAsync(account, CollectionRole.Inbox);
        using var subscription = Opened.Notifier.Subscribe(account);

        await TestProcess.RunAsync("write-item", "postgres", Options.ConnectionString!, account.ToString(), inbox.Id.ToString());

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var notification = await subscription.Changes.ReadAsync(timeout.Token);
        var changes = await Opened.Store.GetChangesAsync(inbox.Id, ModSeq.Zero, 10, CancellationToken.None);
        Assert.That(notification, Is.EqualTo(new Core.Changes.ChangeNotification(account, inbox.Id, changes.Changes.Single().ModSeq)));
    }

    private async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
