using System.Data.Common;
using Dapper;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Storage.Sql;

/// <summary>Subscriptions and METADATA entries (schema 0005). Each call is its own short transaction.</summary>
internal sealed class SqlMailboxSettingsStore(ISqlDialect dialect) : IMailboxSettingsStore
{
    public Task<IReadOnlyList<string>> ListSubscriptionsAsync(AccountId account, CancellationToken cancellationToken)
        => dialect.ReadAsync<IReadOnlyList<string>>(async c => (await c.QueryAsync<string>(
            "SELECT mailbox FROM subscriptions WHERE account_id = @account", new { account = account.Value }))
            .Order(StringComparer.Ordinal).ToList(), cancellationToken);

    public Task<bool> SetSubscribedAsync(AccountId account, string mailbox, bool subscribed, CancellationToken cancellationToken)
        => dialect.WriteAsync(async (c, t) => await c.ExecuteAsync(subscribed
            ? "INSERT INTO subscriptions (account_id, mailbox) VALUES (@account, @mailbox) ON CONFLICT DO NOTHING"
            : "DELETE FROM subscriptions WHERE account_id = @account AND mailbox = @mailbox",
            new { account = account.Value, mailbox }, t) > 0, cancellationToken);

    public Task<IReadOnlyList<MetadataEntry>> ListMetadataAsync(AccountId account, CollectionId? collection, CancellationToken cancellationToken)
        => dialect.ReadAsync<IReadOnlyList<MetadataEntry>>(async c => (await c.QueryAsync<(string Name, byte[] Value)>(
            "SELECT name, value FROM metadata WHERE account_id = @account AND COALESCE(collection_id, 0) = COALESCE(@collection, 0)",
            new { account = account.Value, collection = collection?.Value }))
            .OrderBy(e => e.Name, StringComparer.Ordinal).Select(e => new MetadataEntry(e.Name, e.Value)).ToList(), cancellationToken);

    // Delete-then-insert rather than an upsert: ON CONFLICT over an expression index is where the dialects differ.
    public Task SetMetadataAsync(AccountId account, CollectionId? collection, IReadOnlyList<KeyValuePair<string, byte[]?>> entries,
        CancellationToken cancellationToken) => dialect.WriteAsync(async (c, t) =>
    {
        foreach (var (name, value) in entries)
        {
            var key = new { account = account.Value, collection = collection?.Value, name = name.ToLowerInvariant() };
            await c.ExecuteAsync("""
                DELETE FROM metadata WHERE account_id = @account AND COALESCE(collection_id, 0) = COALESCE(@collection, 0) AND name = @name
                """, key, t);
            if (value is not null)
                await c.ExecuteAsync("INSERT INTO metadata (account_id, collection_id, name, value) VALUES (@account, @collection, @name, @value)",
                    new { key.account, key.collection, key.name, value }, t);
        }
        return true;
    }, cancellationToken);
}
