using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Core.Directory;

/// <summary>One calendar, task list or address book shared with another account.</summary>
/// <param name="Owner">The owner's address.</param>
/// <param name="Collection">The collection's name (its DAV URL segment: <c>calendar</c>, <c>tasks</c>, <c>contacts</c>…).</param>
/// <param name="Grantee">The address it is shared with.</param>
/// <param name="Rights">What the grantee may do.</param>
public sealed record Share(string Owner, string Collection, string Grantee, GrantRights Rights);

/// <summary>Another account's collection as its grantee sees it: the owner, the collection, and the granted rights.</summary>
public sealed record SharedCollection(Account Owner, Collection Collection, GrantRights Rights);

/// <summary>An account a collection is shared with, and its rights.</summary>
public sealed record Sharee(Account Account, GrantRights Rights);

/// <summary>
/// Sharing of DAV collections (calendars, task lists, address books) between accounts, on top of the directory's
/// <see cref="Grant"/>s: <c>read</c> is <see cref="GrantRights.Read"/>, <c>read-write</c> is Read | Write (DAV:write,
/// which covers creating, changing and deleting the collection's objects). Validation lives here, so the CLI, the
/// REST API and the calendarserver-sharing extension share one set of rules.
/// </summary>
public sealed class SharingAdministration(IDirectoryStore directory, IStore store)
{
    private static readonly CollectionKind[] DavKinds = [CollectionKind.Calendar, CollectionKind.Tasks, CollectionKind.AddressBook];

    /// <summary>The rights a <c>--rights</c> word names, or null.</summary>
    public static GrantRights? ParseRights(string text) => text switch
    {
        "read" => GrantRights.Read,
        "read-write" => GrantRights.Read | GrantRights.Write,
        _ => null,
    };

    /// <summary><c>read</c>, <c>read-write</c>, or the flags for any other combination.</summary>
    public static string RightsName(GrantRights rights) => rights switch
    {
        GrantRights.Read => "read",
        GrantRights.Read | GrantRights.Write => "read-write",
        _ => rights.ToString().ToLowerInvariant().Replace(", ", "+", StringComparison.Ordinal),
    };

    /// <summary>Shares <paramref name="owner"/>'s collection with <paramref name="grantee"/>, or changes the rights of an existing share.</summary>
    public async Task<AdminResult> AddShareAsync(string owner, string collection, string grantee, string rights, CancellationToken cancellationToken)
    {
        if (ParseRights(rights) is not { } granted)
            return AdminResult.Invalid($"'{rights}' is not a right (read or read-write)");
        var target = await FindAsync(owner, collection, grantee, cancellationToken);
        if (!target.IsOk)
            return target.Outcome;
        var (ownerAccount, shared, granteeAccount) = target.Value!;
        var existing = (await directory.ListGrantsOnAccountAsync(ownerAccount.Id, cancellationToken))
            .FirstOrDefault(g => g.Grantee == granteeAccount.Id && g.TargetCollection == shared.Id);
        if (existing?.Rights == granted)
            return AdminResult.Conflict($"{ownerAccount.Address}/{shared.Name} is already shared with {granteeAccount.Address} ({rights})");
        await directory.SetGrantAsync(new Grant(granteeAccount.Id, ownerAccount.Id, shared.Id, granted), cancellationToken);
        return AdminResult.Ok;
    }

    /// <summary>Stops sharing <paramref name="owner"/>'s collection with <paramref name="grantee"/>.</summary>
    public async Task<AdminResult> RemoveShareAsync(string owner, string collection, string grantee, CancellationToken cancellationToken)
    {
        var target = await FindAsync(owner, collection, grantee, cancellationToken);
        if (!target.IsOk)
            return target.Outcome;
        var (ownerAccount, shared, granteeAccount) = target.Value!;
        return await directory.RemoveGrantAsync(granteeAccount.Id, ownerAccount.Id, shared.Id, cancellationToken)
            ? AdminResult.Ok
            : AdminResult.NotFound($"{ownerAccount.Address}/{shared.Name} is not shared with {granteeAccount.Address}");
    }

    /// <summary>Every share of a DAV collection, or those where <paramref name="address"/> is the owner or the grantee; sorted.</summary>
    public async Task<AdminResult<IReadOnlyList<Share>>> ListSharesAsync(string? address, CancellationToken cancellationToken)
    {
        Account? only = null;
        if (address is not null)
        {
            var found = await FindAccountAsync(address, cancellationToken);
            if (!found.IsOk)
                return found.Outcome;
            only = found.Value;
        }
        var shares = new List<Share>();
        var accounts = (await directory.ListAccountsAsync(null, cancellationToken)).ToDictionary(a => a.Id);
        foreach (var owner in accounts.Values)
        {
            var grants = (await directory.ListGrantsOnAccountAsync(owner.Id, cancellationToken)).Where(g => g.TargetCollection is not null).ToList();
            if (grants.Count == 0)
                continue;
            var collections = (await store.ListCollectionsAsync(owner.Id, cancellationToken)).Where(IsDav).ToDictionary(c => c.Id);
            foreach (var grant in grants)
            {
                if (collections.TryGetValue(grant.TargetCollection!.Value, out var collection) && accounts.TryGetValue(grant.Grantee, out var grantee)
                    && (only is null || only.Id == owner.Id || only.Id == grantee.Id))
                    shares.Add(new Share(owner.Address, collection.Name, grantee.Address, grant.Rights));
            }
        }
        return new AdminResult<IReadOnlyList<Share>>(
            [.. shares.OrderBy(s => s.Owner, StringComparer.Ordinal).ThenBy(s => s.Collection, StringComparer.Ordinal).ThenBy(s => s.Grantee, StringComparer.Ordinal)],
            AdminError.None, "");
    }

    /// <summary>
    /// The calendars, task lists and address books other accounts share with <paramref name="grantee"/> through a grant that
    /// gives Read (a grant without it shows nothing), sorted by owner and name. Disabled owners share nothing.
    /// </summary>
    public async Task<IReadOnlyList<SharedCollection>> ListSharedWithAsync(AccountId grantee, CancellationToken cancellationToken)
    {
        var shared = new List<SharedCollection>();
        foreach (var grant in await directory.ListGrantsByGranteeAsync(grantee, cancellationToken))
        {
            if (grant.TargetCollection is not { } id || !grant.Rights.HasFlag(GrantRights.Read) || grant.TargetAccount == grantee)
                continue;
            var collection = await store.GetCollectionAsync(id, cancellationToken);
            var owner = await directory.GetAccountAsync(grant.TargetAccount, cancellationToken);
            if (collection is not null && IsDav(collection) && collection.AccountId == grant.TargetAccount && owner is { Enabled: true })
                shared.Add(new SharedCollection(owner, collection, grant.Rights));
        }
        return [.. shared.OrderBy(s => s.Owner.Address, StringComparer.Ordinal).ThenBy(s => s.Collection.Name, StringComparer.Ordinal)];
    }

    /// <summary>The accounts <paramref name="collection"/> is shared with (by a grant on it that gives Read), sorted by address.</summary>
    public async Task<IReadOnlyList<Sharee>> ListShareesAsync(Collection collection, CancellationToken cancellationToken)
    {
        var sharees = new List<Sharee>();
        foreach (var grant in await directory.ListGrantsOnAccountAsync(collection.AccountId, cancellationToken))
        {
            if (grant.TargetCollection == collection.Id && grant.Rights.HasFlag(GrantRights.Read)
                && await directory.GetAccountAsync(grant.Grantee, cancellationToken) is { } grantee)
                sharees.Add(new Sharee(grantee, grant.Rights));
        }
        return [.. sharees.OrderBy(s => s.Account.Address, StringComparer.Ordinal)];
    }

    private async Task<AdminResult<(Account Owner, Collection Collection, Account Grantee)>> FindAsync(
        string owner, string collection, string grantee, CancellationToken cancellationToken)
    {
        var ownerAccount = await FindAccountAsync(owner, cancellationToken);
        if (!ownerAccount.IsOk)
            return ownerAccount.Outcome;
        var granteeAccount = await FindAccountAsync(grantee, cancellationToken);
        if (!granteeAccount.IsOk)
            return granteeAccount.Outcome;
        if (granteeAccount.Value!.Id == ownerAccount.Value!.Id)
            return AdminResult.Invalid($"{ownerAccount.Value.Address} owns {collection}: a collection is not shared with its owner");
        var shared = (await store.ListCollectionsAsync(ownerAccount.Value.Id, cancellationToken))
            .FirstOrDefault(c => IsDav(c) && string.Equals(c.Name, collection, StringComparison.Ordinal));
        if (shared is null)
            return AdminResult.NotFound($"{ownerAccount.Value.Address} has no calendar, task list or address book named '{collection}'");
        return (ownerAccount.Value, shared, granteeAccount.Value);
    }

    private async Task<AdminResult<Account>> FindAccountAsync(string address, CancellationToken cancellationToken)
    {
        if (!EmailAddress.TryParse(address, out var parsed))
            return AdminResult.Invalid($"'{address}' is not a valid address");
        var canonical = parsed.ToString();
        return await directory.GetAccountAsync(canonical, cancellationToken) is { } account
            ? account
            : AdminResult.NotFound($"account {canonical} does not exist");
    }

    private static bool IsDav(Collection collection) => DavKinds.Contains(collection.Kind);
}
