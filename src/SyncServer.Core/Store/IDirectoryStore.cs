using SyncServer.Core.Model;

namespace SyncServer.Core.Store;

/// <summary>
/// The directory's storage: plain reads and writes. Validation (address syntax, domain exists, policies)
/// is <see cref="Directory.DirectoryAdministration"/>'s job; this layer throws
/// <see cref="StoreConflictException"/> on a duplicate and returns false when a thing to change is absent.
/// </summary>
public interface IDirectoryStore
{
    Task AddDomainAsync(string name, CancellationToken cancellationToken);
    Task<IReadOnlyList<Domain>> ListDomainsAsync(CancellationToken cancellationToken);
    Task<Domain?> GetDomainAsync(string name, CancellationToken cancellationToken);
    /// <summary>
    /// Removes a domain that has no accounts, aliases or lists left (false when absent); throws
    /// <see cref="StoreConflictException"/> while any remain.
    /// </summary>
    Task<bool> RemoveDomainAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates the account and provisions its default collections (INBOX, Drafts, Sent, Trash, Junk, Archive, calendar, tasks, contacts) in one transaction.</summary>
    Task<Account> CreateAccountAsync(string address, string displayName, string passwordHash, long? quotaBytes, AccountKind kind, CancellationToken cancellationToken);
    Task<Account?> GetAccountAsync(string address, CancellationToken cancellationToken);
    Task<Account?> GetAccountAsync(AccountId id, CancellationToken cancellationToken);
    Task<IReadOnlyList<Account>> ListAccountsAsync(string? domain, CancellationToken cancellationToken);
    Task<bool> SetPasswordHashAsync(AccountId id, string passwordHash, CancellationToken cancellationToken);
    Task<bool> SetEnabledAsync(AccountId id, bool enabled, CancellationToken cancellationToken);
    Task<bool> SetQuotaAsync(AccountId id, long? quotaBytes, CancellationToken cancellationToken);
    /// <summary>Removes the account with its collections, items, grants and memberships.</summary>
    Task<bool> RemoveAccountAsync(AccountId id, CancellationToken cancellationToken);

    /// <summary>Adds targets to an alias (creating it when new); an existing source-target pair is a conflict.</summary>
    Task AddAliasAsync(string source, IReadOnlyList<string> targets, CancellationToken cancellationToken);
    /// <summary>Removes the given targets of an alias, or the whole alias when none are given.</summary>
    Task<bool> RemoveAliasAsync(string source, IReadOnlyList<string> targets, CancellationToken cancellationToken);
    Task<Alias?> GetAliasAsync(string source, CancellationToken cancellationToken);
    Task<IReadOnlyList<Alias>> ListAliasesAsync(string? domain, CancellationToken cancellationToken);

    Task AddListAsync(DistributionList list, CancellationToken cancellationToken);
    Task<DistributionList?> GetListAsync(string address, CancellationToken cancellationToken);
    Task<IReadOnlyList<DistributionList>> ListListsAsync(string? domain, CancellationToken cancellationToken);
    /// <summary>Replaces policy, members and allowed senders of an existing list.</summary>
    Task<bool> UpdateListAsync(DistributionList list, CancellationToken cancellationToken);
    Task<bool> RemoveListAsync(string address, CancellationToken cancellationToken);

    /// <summary>Adds or replaces the grant for (grantee, target account, target collection).</summary>
    Task SetGrantAsync(Grant grant, CancellationToken cancellationToken);
    Task<bool> RemoveGrantAsync(AccountId grantee, AccountId targetAccount, CollectionId? targetCollection, CancellationToken cancellationToken);
    Task<IReadOnlyList<Grant>> ListGrantsByGranteeAsync(AccountId grantee, CancellationToken cancellationToken);
    Task<IReadOnlyList<Grant>> ListGrantsOnAccountAsync(AccountId targetAccount, CancellationToken cancellationToken);

    /// <summary>Adds a named app password by its digest; a name already used by the account is a <c>StoreConflictException</c>.</summary>
    Task AddAppPasswordAsync(AccountId account, string name, string secretDigest, CancellationToken cancellationToken);
    Task<IReadOnlyList<AppPassword>> ListAppPasswordsAsync(AccountId account, CancellationToken cancellationToken);
    Task<bool> RemoveAppPasswordAsync(AccountId account, string name, CancellationToken cancellationToken);
    /// <summary>Finds the account's app password with this digest and records its use; null when there is none.</summary>
    Task<string?> UseAppPasswordAsync(AccountId account, string secretDigest, CancellationToken cancellationToken);

    Task AddAdministratorAsync(string name, string passwordHash, CancellationToken cancellationToken);
    Task<Administrator?> GetAdministratorAsync(string name, CancellationToken cancellationToken);
    Task<bool> AnyAdministratorAsync(CancellationToken cancellationToken);
    Task<bool> SetAdministratorPasswordHashAsync(string name, string passwordHash, CancellationToken cancellationToken);
}
