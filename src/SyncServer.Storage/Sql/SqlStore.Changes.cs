using System.Data.Common;
using Dapper;
using SyncServer.Core.Changes;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Storage.Sql;

internal sealed partial class SqlStore
{
    private const int ChangeBatch = 500;

    public Task<ChangeSet> GetChangesAsync(CollectionId collection, ModSeq since, int limit, CancellationToken cancellationToken)
        => ReadAsync(async c =>
        {
            var account = await c.QuerySingleOrDefaultAsync<long?>(
                "SELECT account_id FROM collections WHERE id = @id", new { id = collection.Value })
                ?? throw new StoreNotFoundException($"collection {collection} not found");
            var (folded, next, hasMore) = await FoldAsync(c, """
                SELECT modseq AS ModSeq, collection_id AS CollectionId, item_id AS ItemId, imap_uid AS ImapUid,
                       resource_name AS ResourceName, kind AS Kind
                FROM changes WHERE collection_id = @scope AND item_id IS NOT NULL AND modseq > @after
                ORDER BY modseq LIMIT @batch
                """, collection.Value, since, limit);
            var ids = folded.Where(f => f.Kind != ItemChangeKind.Deleted).Select(f => f.Last.ItemId!.Value).ToList();
            var current = (ids.Count == 0 ? [] : await c.QueryAsync<ItemRow>($"{ItemRow.Select} WHERE {dialect.InList("i.id", "@ids")}", new { ids }))
                .ToDictionary(r => r.Id, r => r.ToModel());
            var changes = new List<ItemChange>();
            foreach (var f in folded)
            {
                var row = f.Last;
                var item = f.Kind == ItemChangeKind.Deleted ? null : current.GetValueOrDefault(row.ItemId!.Value);
                // Gone or moved since this row: a later change row reports that, so skip it here.
                if (f.Kind != ItemChangeKind.Deleted && (item is null || item.CollectionId != collection || item.ImapUid.Value != row.ImapUid))
                    continue;
                changes.Add(new ItemChange(f.Kind, new ItemId(row.ItemId!.Value), new ImapUid((uint)row.ImapUid!.Value),
                    row.ResourceName!, new ModSeq(row.ModSeq), item));
            }
            return new ChangeSet(changes, next, hasMore, await IsTruncatedAsync(c, account, since));
        }, cancellationToken);

    public Task<HierarchyChangeSet> GetHierarchyChangesAsync(AccountId account, ModSeq since, int limit, CancellationToken cancellationToken)
        => ReadAsync(async c =>
        {
            var (folded, next, hasMore) = await FoldAsync(c, """
                SELECT modseq AS ModSeq, collection_id AS CollectionId, item_id AS ItemId, imap_uid AS ImapUid,
                       resource_name AS ResourceName, kind AS Kind
                FROM changes WHERE account_id = @scope AND item_id IS NULL AND modseq > @after
                ORDER BY modseq LIMIT @batch
                """, account.Value, since, limit);
            var ids = folded.Select(f => f.Last.CollectionId).ToList();
            var current = (ids.Count == 0 ? [] : await c.QueryAsync<CollectionRow>($"{CollectionRow.Select} WHERE {dialect.InList("id", "@ids")}", new { ids }))
                .ToDictionary(r => r.Id, r => r.ToModel());
            var changes = new List<CollectionChange>();
            foreach (var f in folded)
            {
                var collection = f.Kind == ItemChangeKind.Deleted ? null : current.GetValueOrDefault(f.Last.CollectionId);
                if (f.Kind != ItemChangeKind.Deleted && collection is null)
                    continue; // deleted after this row; a later row says so
                changes.Add(new CollectionChange((CollectionChangeKind)f.Kind, new CollectionId(f.Last.CollectionId),
                    new ModSeq(f.Last.ModSeq), collection));
            }
            return new HierarchyChangeSet(changes, next, hasMore, await IsTruncatedAsync(c, account.Value, since));
        }, cancellationToken);

    public async Task<int> PruneChangesAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await dialect.BeginWriteAsync(connection, cancellationToken);
        var parameters = new { olderThan = SqlValues.Ms(olderThan) };
        // Remember how far each account's log was cut, so a later ask from before that point is told to resync.
        await connection.ExecuteAsync("""
            UPDATE accounts SET pruned_modseq =
                (SELECT MAX(modseq) FROM changes WHERE account_id = accounts.id AND changed_at < @olderThan)
            WHERE pruned_modseq < (SELECT MAX(modseq) FROM changes WHERE account_id = accounts.id AND changed_at < @olderThan)
            """, parameters, transaction);
        var deleted = await connection.ExecuteAsync("DELETE FROM changes WHERE changed_at < @olderThan", parameters, transaction);
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    private static async Task<bool> IsTruncatedAsync(DbConnection connection, long account, ModSeq since)
        => since.Value < await connection.QuerySingleOrDefaultAsync<long>(
            "SELECT pruned_modseq FROM accounts WHERE id = @account", new { account });

    /// <summary>
    /// Reads change rows after <paramref name="since"/> in batches and folds them per object (an item under one UID, or a
    /// collection) into its net change, until <paramref name="limit"/> objects are collected. Returns them in modseq
    /// order of their last change, the modseq of the last row consumed, and whether rows remain. An object created
    /// and deleted inside the window counts toward the limit though it is not returned, so a page may be short.
    /// </summary>
    private static async Task<(List<Folded> Changes, ModSeq Next, bool HasMore)> FoldAsync(
        DbConnection connection, string sql, long scope, ModSeq since, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var folded = new Dictionary<(long, long), Folded>();
        var next = since.Value;
        while (true)
        {
            var rows = (await connection.QueryAsync<ChangeRow>(sql, new { scope, after = next, batch = ChangeBatch })).AsList();
            foreach (var row in rows)
            {
                var key = (row.ItemId ?? row.CollectionId, row.ImapUid ?? 0);
                if (folded.TryGetValue(key, out var f))
                    f.Last = row;
                else if (folded.Count == limit)
                    return (Net(folded.Values), new ModSeq(next), true);
                else
                    folded[key] = new Folded(row);
                next = row.ModSeq;
            }
            if (rows.Count < ChangeBatch)
                return (Net(folded.Values), new ModSeq(next), false);
        }
    }

    // Created…Deleted inside the window is nothing to the caller.
    private static List<Folded> Net(IEnumerable<Folded> folded)
        => folded.Where(f => !(f.First.Kind == (long)ItemChangeKind.Created && f.Last.Kind == (long)ItemChangeKind.Deleted))
            .OrderBy(f => f.Last.ModSeq).ToList();

    private sealed class Folded(ChangeRow first)
    {
        public ChangeRow First { get; } = first;
        public ChangeRow Last { get; set; } = first;

        /// <summary>Deleted if it ends deleted; Created if it began so (its current state is what counts); else Updated.</summary>
        public ItemChangeKind Kind => Last.Kind == (long)ItemChangeKind.Deleted ? ItemChangeKind.Deleted
            : First.Kind == (long)ItemChangeKind.Created ? ItemChangeKind.Created : ItemChangeKind.Updated;
    }

    private sealed class ChangeRow
    {
        public long ModSeq { get; set; }
        public long CollectionId { get; set; }
        public long? ItemId { get; set; }
        public long? ImapUid { get; set; }
        public string? ResourceName { get; set; }
        public long Kind { get; set; }
    }
}
