using System.Data.Common;
using Dapper;
using SyncServer.Core.Changes;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Storage.Sql;

/// <summary>
/// Domains, accounts and administrators (aliases, lists and grants are in DirectoryStore.Routing.cs).
/// Addresses and domains are stored lower-case.
/// </summary>
internal sealed partial class DirectoryStore(ISqlDialect dialect, IChangeNotifier notifier, TimeProvider time) : IDirectoryStore
{
    private static readonly NewCollection[] DefaultCollections =
    [
        new("INBOX", CollectionKind.Mailbox, CollectionRole.Inbox),
        new("Drafts", CollectionKind.Mailbox, CollectionRole.Drafts),
        new("Sent", CollectionKind.Mailbox, CollectionRole.Sent),
        new("Trash", CollectionKind.Mailbox, CollectionRole.Trash),
        new("Junk", CollectionKind.Mailbox, CollectionRole.Junk),
        new("Archive", CollectionKind.Mailbox, CollectionRole.Archive),
        new("calendar", CollectionKind.Calendar, CollectionRole.DefaultCalendar),
        new("tasks", CollectionKind.Tasks, CollectionRole.DefaultTasks),
        new("contacts", CollectionKind.AddressBook, CollectionRole.DefaultAddressBook),
    ];

    public Task AddDomainAsync(string name, CancellationToken cancellationToken)
        => WriteAsync((c, t) => c.ExecuteAsync("INSERT INTO domains (name, created_at) VALUES (@name, @now)",
            new { name = Lower(name), now = Now() }, t), cancellationToken);

    public Task<IReadOnlyList<Domain>> ListDomainsAsync(CancellationToken cancellationToken)
        => ReadAsync<IReadOnlyList<Domain>>(async c => (await c.QueryAsync<(string Name, long CreatedAt)>(
            "SELECT name, created_at FROM domains ORDER BY name")).Select(d => new Domain(d.Name, SqlValues.Time(d.CreatedAt))).ToList(),
            cancellationToken);

    public Task<Domain?> GetDomainAsync(string name, CancellationToken cancellationToken)
        => ReadAsync(async c => (await c.QueryAsync<(string Name, long CreatedAt)>(
            "SELECT name, created_at FROM domains WHERE name = @name", new { name = Lower(name) }))
            .Select(d => new Domain(d.Name, SqlValues.Time(d.CreatedAt))).SingleOrDefault(), cancellationToken);

    public Task<bool> RemoveDomainAsync(string name, CancellationToken cancellationToken) => WriteAsync(async (c, t) =>
    {
        var domain = Lower(name);
        var inUse = await c.ExecuteScalarAsync<long>("""
            SELECT (SELECT COUNT(*) FROM accounts WHERE domain = @domain)
                 + (SELECT COUNT(*) FROM aliases WHERE source_domain = @domain)
                 + (SELECT COUNT(*) FROM lists WHERE domain = @domain)
            """, new { domain }, t);
        if (inUse > 0)
            throw new StoreConflictException($"domain {domain} still has accounts, aliases or lists");
        return await c.ExecuteAsync("DELETE FROM domains WHERE name = @domain", new { domain }, t) > 0;
    }, cancellationToken);

    public async Task<Account> CreateAccountAsync(string address, string displayName, string passwordHash, long? quotaBytes,
        AccountKind kind, CancellationToken cancellationToken)
    {
        var connection = await dialect.OpenAsync(cancellationToken);
        StoreTransaction provisioning;
        try
        {
            var transaction = await dialect.BeginWriteAsync(connection, cancellationToken);
            var id = await connection.QuerySingleAsync<long>("""
                INSERT INTO accounts (address, domain, display_name, password_hash, quota_bytes, enabled, kind, created_at)
                VALUES (@address, @domain, @displayName, @passwordHash, @quotaBytes, @enabled, @kind, @now) RETURNING id
                """, new
            {
                address = Lower(address), domain = DomainOf(address), displayName, passwordHash, quotaBytes,
                enabled = true, kind = (long)kind, now = Now(),
            }, transaction);
            provisioning = await StoreTransaction.StartAsync(dialect, notifier, time, connection, transaction, new AccountId(id));
        }
        catch (Exception e) when (dialect.IsUniqueViolation(e))
        {
            await connection.DisposeAsync();
            throw SqlDialectExtensions.AlreadyExists(e);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        // The provisioning is the account's first store transaction, on the same database transaction:
        // each default collection gets its modseq and hierarchy change row, and all of it commits at once.
        await using (provisioning)
        {
            foreach (var collection in DefaultCollections)
                await provisioning.CreateCollectionAsync(collection, cancellationToken);
            await provisioning.CommitAsync(cancellationToken);
        }
        return (await GetAccountAsync(provisioning.Account, cancellationToken))!;
    }

    public Task<Account?> GetAccountAsync(string address, CancellationToken cancellationToken)
        => ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<AccountRow>(
            AccountRow.Select + " WHERE address = @address", new { address = Lower(address) }))?.ToModel(), cancellationToken);

    public Task<Account?> GetAccountAsync(AccountId id, CancellationToken cancellationToken)
        => ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<AccountRow>(
            AccountRow.Select + " WHERE id = @id", new { id = id.Value }))?.ToModel(), cancellationToken);

    public Task<IReadOnlyList<Account>> ListAccountsAsync(string? domain, CancellationToken cancellationToken)
        => ReadAsync<IReadOnlyList<Account>>(async c => (await c.QueryAsync<AccountRow>(
            AccountRow.Select + " WHERE @domain IS NULL OR domain = @domain ORDER BY address", new { domain = LowerOrNull(domain) }))
            .Select(r => r.ToModel()).ToList(), cancellationToken);

    public Task<bool> SetPasswordHashAsync(AccountId id, string passwordHash, CancellationToken cancellationToken)
        => UpdateAccountAsync("password_hash = @value", id, passwordHash, cancellationToken);

    public Task<bool> SetEnabledAsync(AccountId id, bool enabled, CancellationToken cancellationToken)
        => UpdateAccountAsync("enabled = @value", id, enabled, cancellationToken);

    public Task<bool> SetQuotaAsync(AccountId id, long? quotaBytes, CancellationToken cancellationToken)
        => UpdateAccountAsync("quota_bytes = @value", id, quotaBytes, cancellationToken);

    public Task<bool> RemoveAccountAsync(AccountId id, CancellationToken cancellationToken) => WriteAsync(async (c, t) =>
    {
        // Collections, items, side data, the change log and grants go by ON DELETE CASCADE.
        await c.ExecuteAsync(
            "DELETE FROM list_members WHERE member = (SELECT address FROM accounts WHERE id = @id)", new { id = id.Value }, t);
        return await c.ExecuteAsync("DELETE FROM accounts WHERE id = @id", new { id = id.Value }, t) > 0;
    }, cancellationToken);

    public Task AddAdministratorAsync(string name, string passwordHash, CancellationToken cancellationToken)
        => WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO administrators (name, password_hash, created_at) VALUES (@name, @passwordHash, @now)",
            new { name, passwordHash, now = Now() }, t), cancellationToken);

    public Task<Administrator?> GetAdministratorAsync(string name, CancellationToken cancellationToken)
        => ReadAsync(async c => (await c.QueryAsync<(string Name, string PasswordHash, long CreatedAt)>(
            "SELECT name, password_hash, created_at FROM administrators WHERE name = @name", new { name }))
            .Select(a => new Administrator(a.Name, a.PasswordHash, SqlValues.Time(a.CreatedAt))).SingleOrDefault(), cancellationToken);

    public Task<bool> AnyAdministratorAsync(CancellationToken cancellationToken)
        => ReadAsync(async c => await c.ExecuteScalarAsync<object>("SELECT 1 FROM administrators LIMIT 1") is not null, cancellationToken);

    public Task<bool> SetAdministratorPasswordHashAsync(string name, string passwordHash, CancellationToken cancellationToken)
        => WriteAsync(async (c, t) => await c.ExecuteAsync(
            "UPDATE administrators SET password_hash = @passwordHash WHERE name = @name", new { name, passwordHash }, t) > 0,
            cancellationToken);

    private Task<bool> UpdateAccountAsync<T>(string assignment, AccountId id, T value, CancellationToken cancellationToken)
        => WriteAsync(async (c, t) => await c.ExecuteAsync(
            $"UPDATE accounts SET {assignment} WHERE id = @id", new { id = id.Value, value }, t) > 0, cancellationToken);

    private static string Lower(string value) => value.Trim().ToLowerInvariant();

    private static string? LowerOrNull(string? value) => value is null ? null : Lower(value);

    /// <summary>The part after '@' (a catch-all source <c>@domain</c> included).</summary>
    private static string DomainOf(string address) => Lower(address[(address.LastIndexOf('@') + 1)..]);

    private long Now() => SqlValues.Ms(time.GetUtcNow());

    private Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken cancellationToken) =>
        dialect.ReadAsync(read, cancellationToken);

    private Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, CancellationToken cancellationToken) =>
        dialect.WriteAsync(write, cancellationToken);
}
