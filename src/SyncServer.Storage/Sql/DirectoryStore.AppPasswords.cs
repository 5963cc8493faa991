using Dapper;
using SyncServer.Core.Model;

namespace SyncServer.Storage.Sql;

/// <summary>App passwords: stored by digest, found by digest at login.</summary>
internal sealed partial class DirectoryStore
{
    public Task AddAppPasswordAsync(AccountId account, string name, string secretDigest, CancellationToken cancellationToken)
        => WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO app_passwords (account_id, name, secret_hash, created_at) VALUES (@account, @name, @secretDigest, @now)",
            new { account = account.Value, name, secretDigest, now = Now() }, t), cancellationToken);

    public Task<IReadOnlyList<AppPassword>> ListAppPasswordsAsync(AccountId account, CancellationToken cancellationToken)
        => ReadAsync<IReadOnlyList<AppPassword>>(async c => (await c.QueryAsync<(string Name, long CreatedAt, long? LastUsedAt)>(
            "SELECT name, created_at, last_used_at FROM app_passwords WHERE account_id = @account ORDER BY name",
            new { account = account.Value }))
            .Select(p => new AppPassword(account, p.Name, SqlValues.Time(p.CreatedAt), SqlValues.Time(p.LastUsedAt)))
            .ToList(), cancellationToken);

    public Task<bool> RemoveAppPasswordAsync(AccountId account, string name, CancellationToken cancellationToken)
        => WriteAsync(async (c, t) => await c.ExecuteAsync(
            "DELETE FROM app_passwords WHERE account_id = @account AND name = @name", new { account = account.Value, name }, t) > 0,
            cancellationToken);

    public Task<string?> UseAppPasswordAsync(AccountId account, string secretDigest, CancellationToken cancellationToken)
        => WriteAsync((c, t) => c.QuerySingleOrDefaultAsync<string?>(
            "UPDATE app_passwords SET last_used_at = @now WHERE account_id = @account AND secret_hash = @secretDigest RETURNING name",
            new { account = account.Value, secretDigest, now = Now() }, t), cancellationToken);
}
