using System.Data.Common;
using Dapper;
using SyncServer.Core.Changes;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Storage.Sql;

/// <summary>Reads of collections and items; writes go through <see cref="StoreTransaction"/>. Change-log reads are in SqlStore.Changes.cs.</summary>
internal sealed partial class SqlStore(ISqlDialect dialect, IChangeNotifier notifier, TimeProvider time) : IStore
{
    public async Task<IStoreTransaction> BeginAsync(AccountId account, CancellationToken cancellationToken)
        => await StoreTransaction.BeginAsync(dialect, notifier, time, account, cancellationToken);

    public Task<Collection?> GetCollectionAsync(CollectionId id, CancellationToken cancellationToken)
        => ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<CollectionRow>(
            CollectionRow.Select + " WHERE id = @id", new { id = id.Value }))?.ToModel(), cancellationToken);

    public Task<IReadOnlyList<Collection>> ListCollectionsAsync(AccountId account, CancellationToken cancellationToken)
        => ReadAsync<IReadOnlyList<Collection>>(async c => (await c.QueryAsync<CollectionRow>(
            CollectionRow.Select + " WHERE account_id = @account ORDER BY id", new { account = account.Value }))
            .Select(r => r.ToModel()).ToList(), cancellationToken);

    public Task<IReadOnlyList<CollectionProperty>> GetCollectionPropertiesAsync(CollectionId id, CancellationToken cancellationToken)
        => ReadAsync<IReadOnlyList<CollectionProperty>>(async c => (await c.QueryAsync<(string Namespace, string Name, string Value)>(
            "SELECT namespace, name, value FROM collection_properties WHERE collection_id = @id ORDER BY namespace, name", new { id = id.Value }))
            .Select(p => new CollectionProperty(p.Namespace, p.Name, p.Value)).ToList(), cancellationToken);

    public Task<IReadOnlyList<ItemProperty>> GetItemPropertiesAsync(ItemId id, CancellationToken cancellationToken)
        => ReadAsync<IReadOnlyList<ItemProperty>>(async c => (await c.QueryAsync<(string Namespace, string Name, string Value)>(
            "SELECT namespace, name, value FROM item_properties WHERE item_id = @id ORDER BY namespace, name", new { id = id.Value }))
            .Select(p => new ItemProperty(p.Namespace, p.Name, p.Value)).ToList(), cancellationToken);

    public Task<Item?> GetItemAsync(ItemId id, CancellationToken cancellationToken)
        => ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<ItemRow>(
            ItemRow.Select + " WHERE i.id = @id", new { id = id.Value }))?.ToModel(), cancellationToken);

    public Task<Item?> GetItemByResourceNameAsync(CollectionId collection, string resourceName, CancellationToken cancellationToken)
        => ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<ItemRow>(
            ItemRow.Select + " WHERE i.collection_id = @collection AND i.resource_name = @resourceName",
            new { collection = collection.Value, resourceName }))?.ToModel(), cancellationToken);

    public Task<Item?> FindItemByUidAsync(CollectionId collection, string uid, CancellationToken cancellationToken)
        => ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<ItemRow>(
            ItemRow.Select + """
                 WHERE i.id IN (SELECT item_id FROM calendar_index WHERE collection_id = @collection AND uid = @uid
                                UNION ALL SELECT item_id FROM contact_index WHERE collection_id = @collection AND uid = @uid)
                 LIMIT 1
                """, new { collection = collection.Value, uid }))?.ToModel(), cancellationToken);

    public Task<IReadOnlyList<Item>> ListItemsAsync(CollectionId collection, ImapUid afterUid, int limit, CancellationToken cancellationToken)
        => ReadAsync<IReadOnlyList<Item>>(async c => (await c.QueryAsync<ItemRow>(
            ItemRow.Select + " WHERE i.collection_id = @collection AND i.imap_uid > @afterUid ORDER BY i.imap_uid LIMIT @limit",
            new { collection = collection.Value, afterUid = (long)afterUid.Value, limit }))
            .Select(r => r.ToModel()).ToList(), cancellationToken);

    public Task<IReadOnlyList<Item>> ListItemsInTimeSpanAsync(CollectionId collection, DateTimeOffset? from, DateTimeOffset? to, int limit, CancellationToken cancellationToken)
    {
        // An unknown bound adds no condition (rather than "@to IS NULL", whose type PostgreSQL cannot infer).
        var meets = (to is null ? "" : " AND (c.start_utc IS NULL OR c.start_utc <= @to)")
                    + (from is null ? "" : " AND (c.start_utc IS NULL OR c.end_utc IS NULL OR c.end_utc >= @from)");
        return ReadAsync<IReadOnlyList<Item>>(async c => (await c.QueryAsync<ItemRow>(
            ItemRow.Select + " WHERE i.collection_id = @collection" + meets + " ORDER BY i.imap_uid LIMIT @limit",
            new { collection = collection.Value, from = SqlValues.Ms(from), to = SqlValues.Ms(to), limit }))
            .Select(r => r.ToModel()).ToList(), cancellationToken);
    }

    public Task<IReadOnlyList<Item>> GetItemsByResourceNamesAsync(CollectionId collection, IReadOnlyCollection<string> resourceNames, CancellationToken cancellationToken)
        => ReadAsync<IReadOnlyList<Item>>(async c =>
        {
            var items = new List<Item>();
            foreach (var names in resourceNames.Distinct().Chunk(NamesPerQuery))
                items.AddRange((await c.QueryAsync<ItemRow>(
                    ItemRow.Select + $" WHERE i.collection_id = @collection AND {dialect.InList("i.resource_name", "@names")}",
                    new { collection = collection.Value, names })).Select(r => r.ToModel()));
            return items.OrderBy(i => i.ImapUid.Value).ToList();
        }, cancellationToken);

    /// <summary>Names per query of <see cref="GetItemsByResourceNamesAsync"/> (on SQLite one parameter each; it allows 32,766).</summary>
    private const int NamesPerQuery = 500;

    public Task<bool> IsBlobReferencedAsync(BlobId blob, CancellationToken cancellationToken)
        => ReadAsync(async c => await c.ExecuteScalarAsync<object>(
            """
            SELECT 1 WHERE EXISTS (SELECT 1 FROM items WHERE blob_id = @blob)
                        OR EXISTS (SELECT 1 FROM queue_messages WHERE blob_id = @blob)
            """, new { blob = blob.Sha256Hex }) is not null, cancellationToken);

    public async Task FinishDeliveryAsync(DeliveryId delivery, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await dialect.BeginWriteAsync(connection, cancellationToken);
        await connection.ExecuteAsync("DELETE FROM unfinished_deliveries WHERE delivery_id = @delivery", new { delivery = delivery.Value }, transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Every part of each delivery whose first row is older than the cut, so a delivery is never rolled back by halves.</summary>
    public Task<IReadOnlyList<UnfinishedDeliveryPart>> ListUnfinishedDeliveriesAsync(DateTimeOffset startedBefore, CancellationToken cancellationToken)
        => ReadAsync<IReadOnlyList<UnfinishedDeliveryPart>>(async c => (await c.QueryAsync<(string Delivery, long? Account, long? Item, long? Queued)>("""
            SELECT delivery_id, account_id, item_id, queue_message_id FROM unfinished_deliveries
            WHERE delivery_id IN (SELECT delivery_id FROM unfinished_deliveries GROUP BY delivery_id HAVING MIN(stored_at) < @startedBefore)
            ORDER BY delivery_id
            """, new { startedBefore = SqlValues.Ms(startedBefore) }))
            .Select(r => new UnfinishedDeliveryPart(new DeliveryId(r.Delivery), r.Account is { } a ? new AccountId(a) : null,
                r.Item is { } i ? new ItemId(i) : null, r.Queued is { } q ? new QueuedMessageId(q) : null))
            .ToList(), cancellationToken);

    public Task CheckHealthAsync(CancellationToken cancellationToken)
        => ReadAsync(c => c.ExecuteScalarAsync<object>("SELECT 1"), cancellationToken);

    private async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await read(connection);
    }
}
