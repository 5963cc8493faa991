using System.Data.Common;
using Dapper;
using SyncServer.Core.Changes;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Storage.Sql;

/// <summary>
/// The one write path of an account (DESIGN.md §1). Beginning locks the account's row by taking the next
/// modseq; each change then takes its own modseq from an in-memory counter and appends a change-log row.
/// Commit writes the counter back, commits, and only then publishes. A failed statement (e.g. a conflict)
/// poisons the transaction on PostgreSQL, so it does so here on both engines: dispose it and start over.
/// Item operations are in StoreTransaction.Items.cs.
/// </summary>
internal sealed partial class StoreTransaction : IStoreTransaction
{
    private readonly ISqlDialect _dialect;
    private readonly IChangeNotifier _notifier;
    private readonly TimeProvider _time;
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly Dictionary<CollectionId, ModSeq> _touched = [];
    private ModSeq? _hierarchyTouched;
    private long _nextModSeq;
    private bool _failed;
    private bool _committed;

    private StoreTransaction(ISqlDialect dialect, IChangeNotifier notifier, TimeProvider time, DbConnection connection,
        DbTransaction transaction, AccountId account, long firstModSeq)
    {
        _dialect = dialect;
        _notifier = notifier;
        _time = time;
        _connection = connection;
        _transaction = transaction;
        Account = account;
        _nextModSeq = firstModSeq;
    }

    public AccountId Account { get; }

    /// <summary>Begins on a new connection.</summary>
    public static async Task<StoreTransaction> BeginAsync(ISqlDialect dialect, IChangeNotifier notifier, TimeProvider time,
        AccountId account, CancellationToken cancellationToken)
    {
        var connection = await dialect.OpenAsync(cancellationToken);
        try
        {
            var transaction = await dialect.BeginWriteAsync(connection, cancellationToken);
            return await StartAsync(dialect, notifier, time, connection, transaction, account);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Continues an open database transaction (account provisioning); the result owns connection and transaction.</summary>
    public static async Task<StoreTransaction> StartAsync(ISqlDialect dialect, IChangeNotifier notifier, TimeProvider time,
        DbConnection connection, DbTransaction transaction, AccountId account)
    {
        // The row lock taken here serialises all writers of this account, on SQLite and PostgreSQL alike.
        var first = await connection.QuerySingleOrDefaultAsync<long?>(
            "UPDATE accounts SET modseq = modseq + 1 WHERE id = @id RETURNING modseq", new { id = account.Value }, transaction);
        if (first is null)
        {
            await transaction.DisposeAsync();
            throw new StoreNotFoundException($"account {account} does not exist");
        }
        return new StoreTransaction(dialect, notifier, time, connection, transaction, account, first.Value);
    }

    public Task<Collection> CreateCollectionAsync(NewCollection collection, CancellationToken cancellationToken) => Run(async () =>
    {
        if (collection.ParentId is { } parent)
            await LoadCollectionAsync(parent);
        var modSeq = NextModSeq();
        // Never repeated, and time-based so a re-created database does not hand out a value a client still caches.
        var uidValidity = await QuerySingleAsync<long>("""
            UPDATE counters SET value = CASE WHEN value + 1 > @now THEN value + 1 ELSE @now END
            WHERE name = 'uid_validity' RETURNING value
            """, new { now = _time.GetUtcNow().ToUnixTimeSeconds() });
        var id = await QuerySingleAsync<long>("""
            INSERT INTO collections (account_id, parent_id, name, kind, role, uid_validity, next_uid, highest_modseq, created_modseq)
            VALUES (@account, @parent, @name, @kind, @role, @uidValidity, 1, @modSeq, @modSeq) RETURNING id
            """, new
        {
            account = Account.Value, parent = collection.ParentId?.Value, name = collection.Name, kind = (long)collection.Kind,
            role = (long)collection.Role, uidValidity, modSeq = modSeq.Value,
        });
        await LogCollectionChangeAsync(new CollectionId(id), modSeq, CollectionChangeKind.Created);
        return await LoadCollectionAsync(new CollectionId(id));
    });

    public Task<Collection> UpdateCollectionAsync(CollectionId id, string name, CollectionId? parentId, CancellationToken cancellationToken) => Run(async () =>
    {
        await LoadCollectionAsync(id);
        for (var ancestor = parentId; ancestor is { } a; ancestor = (await LoadCollectionAsync(a)).ParentId)
        {
            if (a == id)
                throw new StoreConflictException($"collection {id} cannot move under itself");
        }
        var modSeq = NextModSeq();
        await ExecuteAsync(
            "UPDATE collections SET name = @name, parent_id = @parent, highest_modseq = @modSeq WHERE id = @id",
            new { id = id.Value, name, parent = parentId?.Value, modSeq = modSeq.Value });
        await LogCollectionChangeAsync(id, modSeq, CollectionChangeKind.Updated);
        return await LoadCollectionAsync(id);
    });

    public Task DeleteCollectionAsync(CollectionId id, CancellationToken cancellationToken) => Run(async () =>
    {
        await LoadCollectionAsync(id);
        var all = (await QueryAsync<CollectionRow>(CollectionRow.Select + " WHERE account_id = @account", new { account = Account.Value }))
            .ToLookup(c => c.ParentId);
        foreach (var collection in SubtreeChildrenFirst(id.Value, all))
        {
            var items = await QueryAsync<(long Id, long ImapUid, string ResourceName, long Size)>(
                "SELECT id, imap_uid, resource_name, size FROM items WHERE collection_id = @id ORDER BY imap_uid", new { id = collection });
            foreach (var item in items)
                await LogItemChangeAsync(new CollectionId(collection), item.Id, item.ImapUid, item.ResourceName, NextModSeq(), ItemChangeKind.Deleted);
            await ExecuteAsync("DELETE FROM items WHERE collection_id = @id", new { id = collection });
            await AddUsedBytesAsync(-items.Sum(i => i.Size));
            await LogCollectionChangeAsync(new CollectionId(collection), NextModSeq(), CollectionChangeKind.Deleted);
            await ExecuteAsync("DELETE FROM collections WHERE id = @id", new { id = collection });
        }
    });

    public Task SetCollectionPropertyAsync(CollectionId id, string ns, string name, string? xml, CancellationToken cancellationToken) => Run(async () =>
    {
        await LoadCollectionAsync(id);
        await ExecuteAsync("DELETE FROM collection_properties WHERE collection_id = @id AND namespace = @ns AND name = @name", new { id = id.Value, ns, name });
        if (xml is not null)
        {
            await ExecuteAsync("INSERT INTO collection_properties (collection_id, namespace, name, value) VALUES (@id, @ns, @name, @xml)",
                new { id = id.Value, ns, name, xml });
        }
    });

    public Task SaveSyncStateAsync(SyncState state, CancellationToken cancellationToken) => Run(async () =>
    {
        if (state.Account != Account)
            throw new StoreNotFoundException($"the sync state is of account {state.Account}, the transaction of {Account}");
        await ExecuteAsync(SqlDeviceStore.SaveSyncStateSql, SqlDeviceStore.SyncStateParameters(state));
    });

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_failed || _committed)
            throw new InvalidOperationException(_failed ? "the transaction failed; dispose it" : "already committed");
        await ExecuteAsync("UPDATE accounts SET modseq = @modSeq WHERE id = @id", new { id = Account.Value, modSeq = _nextModSeq - 1 });
        foreach (var (collection, modSeq) in _touched)
        {
            await ExecuteAsync("UPDATE collections SET highest_modseq = @modSeq WHERE id = @id AND highest_modseq < @modSeq",
                new { id = collection.Value, modSeq = modSeq.Value });
        }
        await _transaction.CommitAsync(cancellationToken);
        _committed = true;

        foreach (var (collection, modSeq) in _touched)
            await _notifier.PublishAsync(new ChangeNotification(Account, collection, modSeq), cancellationToken);
        if (_hierarchyTouched is { } hierarchy)
            await _notifier.PublishAsync(new ChangeNotification(Account, null, hierarchy), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync(); // rolls back unless committed
        await _connection.DisposeAsync();
    }

    private static IEnumerable<long> SubtreeChildrenFirst(long root, ILookup<long?, CollectionRow> byParent)
    {
        foreach (var child in byParent[root])
        {
            foreach (var id in SubtreeChildrenFirst(child.Id, byParent))
                yield return id;
        }
        yield return root;
    }

    // The first change of the transaction uses the value taken at begin; the rest count up from there.
    private ModSeq NextModSeq() => new(_nextModSeq++);

    private void Touch(CollectionId collection, ModSeq modSeq) => _touched[collection] = modSeq;

    private async Task LogCollectionChangeAsync(CollectionId collection, ModSeq modSeq, CollectionChangeKind kind)
    {
        await InsertChangeAsync(collection, null, null, null, modSeq, (long)kind);
        Touch(collection, modSeq);
        _hierarchyTouched = modSeq;
    }

    private async Task LogItemChangeAsync(CollectionId collection, long itemId, long imapUid, string resourceName, ModSeq modSeq, ItemChangeKind kind)
    {
        await InsertChangeAsync(collection, itemId, imapUid, resourceName, modSeq, (long)kind);
        Touch(collection, modSeq);
    }

    private Task InsertChangeAsync(CollectionId collection, long? itemId, long? imapUid, string? resourceName, ModSeq modSeq, long kind)
        => ExecuteAsync("""
            INSERT INTO changes (account_id, modseq, collection_id, item_id, imap_uid, resource_name, kind, changed_at)
            VALUES (@account, @modSeq, @collection, @itemId, @imapUid, @resourceName, @kind, @now)
            """, new
        {
            account = Account.Value, modSeq = modSeq.Value, collection = collection.Value, itemId, imapUid, resourceName, kind,
            now = SqlValues.Ms(_time.GetUtcNow()),
        });

    private Task AddUsedBytesAsync(long delta)
        => delta == 0 ? Task.CompletedTask
            : ExecuteAsync("UPDATE accounts SET used_bytes = used_bytes + @delta WHERE id = @id", new { id = Account.Value, delta });

    private async Task<Collection> LoadCollectionAsync(CollectionId id)
    {
        var row = await QuerySingleOrDefaultAsync<CollectionRow>(
            CollectionRow.Select + " WHERE id = @id AND account_id = @account", new { id = id.Value, account = Account.Value });
        return row?.ToModel() ?? throw new StoreNotFoundException($"collection {id} not found in account {Account}");
    }

    private Task Run(Func<Task> operation) => Run(async () => { await operation(); return true; });

    /// <summary>Runs one operation; any failure poisons the transaction and a unique violation becomes a conflict.</summary>
    private async Task<T> Run<T>(Func<Task<T>> operation)
    {
        if (_failed || _committed)
            throw new InvalidOperationException(_failed ? "the transaction failed; dispose it" : "already committed");
        try
        {
            return await operation();
        }
        catch (Exception e)
        {
            _failed = true;
            if (_dialect.IsUniqueViolation(e))
                throw new StoreConflictException("a uniqueness rule was broken: " + e.Message, e);
            throw;
        }
    }

    private Task<int> ExecuteAsync(string sql, object parameters) => _connection.ExecuteAsync(sql, parameters, _transaction);

    private Task<T> QuerySingleAsync<T>(string sql, object parameters) => _connection.QuerySingleAsync<T>(sql, parameters, _transaction);

    private Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object parameters)
        => _connection.QuerySingleOrDefaultAsync<T>(sql, parameters, _transaction);

    private async Task<List<T>> QueryAsync<T>(string sql, object parameters)
        => (await _connection.QueryAsync<T>(sql, parameters, _transaction)).AsList();
}
