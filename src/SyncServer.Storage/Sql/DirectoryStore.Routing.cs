using Dapper;
using SyncServer.Core.Model;

namespace SyncServer.Storage.Sql;

/// <summary>Aliases, distribution lists and grants.</summary>
internal sealed partial class DirectoryStore
{
    public Task AddAliasAsync(string source, IReadOnlyList<string> targets, CancellationToken cancellationToken)
        => WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO aliases (source, source_domain, target) VALUES (@source, @domain, @target)",
            targets.Select(target => new { source = Lower(source), domain = DomainOf(source), target = Lower(target) }), t),
            cancellationToken);

    public Task<bool> RemoveAliasAsync(string source, IReadOnlyList<string> targets, CancellationToken cancellationToken)
        => WriteAsync(async (c, t) => await c.ExecuteAsync(
            targets.Count == 0 ? "DELETE FROM aliases WHERE source = @source" : $"DELETE FROM aliases WHERE source = @source AND {dialect.InList("target", "@targets")}",
            new { source = Lower(source), targets = targets.Select(Lower).ToList() }, t) > 0, cancellationToken);

    public async Task<Alias?> GetAliasAsync(string source, CancellationToken cancellationToken)
        => (await QueryAliasesAsync("WHERE source = @key", Lower(source), cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<Alias>> ListAliasesAsync(string? domain, CancellationToken cancellationToken)
        => QueryAliasesAsync("WHERE @key IS NULL OR source_domain = @key", LowerOrNull(domain), cancellationToken);

    public Task AddListAsync(DistributionList list, CancellationToken cancellationToken) => WriteAsync(async (c, t) =>
    {
        await c.ExecuteAsync("INSERT INTO lists (address, domain, policy) VALUES (@address, @domain, @policy)",
            new { address = Lower(list.Address), domain = DomainOf(list.Address), policy = (long)list.Policy }, t);
        await InsertListPeopleAsync(c, t, list);
        return true;
    }, cancellationToken);

    public async Task<DistributionList?> GetListAsync(string address, CancellationToken cancellationToken)
        => (await QueryListsAsync("WHERE address = @key", Lower(address), cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<DistributionList>> ListListsAsync(string? domain, CancellationToken cancellationToken)
        => QueryListsAsync("WHERE @key IS NULL OR domain = @key", LowerOrNull(domain), cancellationToken);

    public Task<bool> UpdateListAsync(DistributionList list, CancellationToken cancellationToken) => WriteAsync(async (c, t) =>
    {
        var address = Lower(list.Address);
        if (await c.ExecuteAsync("UPDATE lists SET policy = @policy WHERE address = @address", new { address, policy = (long)list.Policy }, t) == 0)
            return false;
        await c.ExecuteAsync("DELETE FROM list_members WHERE list_address = @address", new { address }, t);
        await c.ExecuteAsync("DELETE FROM list_senders WHERE list_address = @address", new { address }, t);
        await InsertListPeopleAsync(c, t, list);
        return true;
    }, cancellationToken);

    public Task<bool> RemoveListAsync(string address, CancellationToken cancellationToken)
        => WriteAsync(async (c, t) => await c.ExecuteAsync(
            "DELETE FROM lists WHERE address = @address", new { address = Lower(address) }, t) > 0, cancellationToken);

    // Delete-then-insert rather than an upsert: ON CONFLICT over an expression index is where the dialects differ.
    public Task SetGrantAsync(Grant grant, CancellationToken cancellationToken) => WriteAsync(async (c, t) =>
    {
        var key = new { grantee = grant.Grantee.Value, target = grant.TargetAccount.Value, collection = grant.TargetCollection?.Value };
        await c.ExecuteAsync(DeleteGrantSql, key, t);
        return await c.ExecuteAsync(
            "INSERT INTO grants (grantee, target_account, target_collection, rights) VALUES (@grantee, @target, @collection, @rights)",
            new { key.grantee, key.target, key.collection, rights = (long)grant.Rights }, t);
    }, cancellationToken);

    public Task<bool> RemoveGrantAsync(AccountId grantee, AccountId targetAccount, CollectionId? targetCollection, CancellationToken cancellationToken)
        => WriteAsync(async (c, t) => await c.ExecuteAsync(DeleteGrantSql,
            new { grantee = grantee.Value, target = targetAccount.Value, collection = targetCollection?.Value }, t) > 0, cancellationToken);

    public Task<IReadOnlyList<Grant>> ListGrantsByGranteeAsync(AccountId grantee, CancellationToken cancellationToken)
        => QueryGrantsAsync("grantee", grantee, cancellationToken);

    public Task<IReadOnlyList<Grant>> ListGrantsOnAccountAsync(AccountId targetAccount, CancellationToken cancellationToken)
        => QueryGrantsAsync("target_account", targetAccount, cancellationToken);

    private const string DeleteGrantSql = """
        DELETE FROM grants WHERE grantee = @grantee AND target_account = @target
                             AND COALESCE(target_collection, 0) = COALESCE(@collection, 0)
        """;

    private Task<IReadOnlyList<Grant>> QueryGrantsAsync(string column, AccountId account, CancellationToken cancellationToken)
        => ReadAsync<IReadOnlyList<Grant>>(async c => (await c.QueryAsync<(long Grantee, long Target, long? Collection, long Rights)>(
            $"SELECT grantee, target_account, target_collection, rights FROM grants WHERE {column} = @account ORDER BY grantee, target_account, target_collection",
            new { account = account.Value }))
            .Select(g => new Grant(new AccountId(g.Grantee), new AccountId(g.Target),
                g.Collection is { } id ? new CollectionId(id) : null, (GrantRights)g.Rights)).ToList(), cancellationToken);

    private Task<IReadOnlyList<Alias>> QueryAliasesAsync(string where, string? key, CancellationToken cancellationToken)
        => ReadAsync<IReadOnlyList<Alias>>(async c => (await c.QueryAsync<(string Source, string Target)>(
            $"SELECT source, target FROM aliases {where} ORDER BY source, target", new { key }))
            .GroupBy(a => a.Source).Select(g => new Alias(g.Key, g.Select(a => a.Target).ToList())).ToList(), cancellationToken);

    private Task<IReadOnlyList<DistributionList>> QueryListsAsync(string where, string? key, CancellationToken cancellationToken)
        => ReadAsync<IReadOnlyList<DistributionList>>(async c =>
        {
            var lists = (await c.QueryAsync<(string Address, long Policy)>(
                $"SELECT address, policy FROM lists {where} ORDER BY address", new { key })).ToList();
            var addresses = lists.Select(l => l.Address).ToList();
            var members = addresses.Count == 0 ? [] : (await c.QueryAsync<(string List, string Person)>(
                $"SELECT list_address, member FROM list_members WHERE {dialect.InList("list_address", "@addresses")} ORDER BY member", new { addresses })).ToList();
            var senders = addresses.Count == 0 ? [] : (await c.QueryAsync<(string List, string Person)>(
                $"SELECT list_address, sender FROM list_senders WHERE {dialect.InList("list_address", "@addresses")} ORDER BY sender", new { addresses })).ToList();
            return lists.Select(l => new DistributionList(l.Address, (PostingPolicy)l.Policy,
                members.Where(m => m.List == l.Address).Select(m => m.Person).ToList(),
                senders.Where(s => s.List == l.Address).Select(s => s.Person).ToList())).ToList();
        }, cancellationToken);

    private static async Task InsertListPeopleAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction t, DistributionList list)
    {
        var address = Lower(list.Address);
        await c.ExecuteAsync("INSERT INTO list_members (list_address, member) VALUES (@address, @person)",
            list.Members.Select(Lower).Distinct().Select(person => new { address, person }), t);
        await c.ExecuteAsync("INSERT INTO list_senders (list_address, sender) VALUES (@address, @person)",
            list.AllowedSenders.Select(Lower).Distinct().Select(person => new { address, person }), t);
    }
}
