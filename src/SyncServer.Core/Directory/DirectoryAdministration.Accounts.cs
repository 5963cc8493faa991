using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Core.Directory;

public sealed partial class DirectoryAdministration
{
    public const int MaxDisplayNameLength = 256;

    /// <summary>Creates a user account (with its default collections) in a known domain.</summary>
    /// <param name="quota">A size such as <c>500M</c> or <c>2G</c>; null or empty for no quota.</param>
    public async Task<AdminResult<Account>> AddUserAsync(string address, string password, string? displayName, string? quota, CancellationToken cancellationToken)
    {
        var parsed = await NewAddressAsync(address, cancellationToken);
        if (!parsed.IsOk)
            return parsed.Outcome;
        var passwordCheck = CheckPassword(password);
        if (!passwordCheck.IsOk)
            return passwordCheck;
        var name = displayName?.Trim() is { Length: > 0 } given ? given : parsed.Value.LocalPart;
        if (name.Length > MaxDisplayNameLength || name.Any(char.IsControl))
            return AdminResult.Invalid($"the display name must be at most {MaxDisplayNameLength} characters without control characters");
        long? quotaBytes = null;
        if (!string.IsNullOrWhiteSpace(quota))
        {
            if (!ByteSize.TryParse(quota, out var bytes) || bytes <= 0)
                return AdminResult.Invalid($"'{quota}' is not a size (e.g. 500M, 2G or a number of bytes)");
            quotaBytes = bytes;
        }
        var canonical = parsed.Value.ToString();
        try
        {
            return await directory.CreateAccountAsync(canonical, name, hasher.Hash(password), quotaBytes, AccountKind.User, cancellationToken);
        }
        catch (StoreConflictException)
        {
            return AdminResult.Conflict($"{canonical} is already an account");
        }
    }

    /// <summary>All accounts, or those of one known domain.</summary>
    public async Task<AdminResult<IReadOnlyList<Account>>> ListAccountsAsync(string? domain, CancellationToken cancellationToken)
    {
        if (domain is null)
            return new(await directory.ListAccountsAsync(null, cancellationToken), AdminError.None, "");
        var known = await KnownDomainAsync(domain, cancellationToken);
        if (!known.IsOk)
            return known.Outcome;
        return new(await directory.ListAccountsAsync(known.Value, cancellationToken), AdminError.None, "");
    }

    public async Task<AdminResult> SetPasswordAsync(string address, string password, CancellationToken cancellationToken)
    {
        var account = await FindAccountAsync(address, cancellationToken);
        if (!account.IsOk)
            return account.Outcome;
        var check = CheckPassword(password);
        if (!check.IsOk)
            return check;
        return await directory.SetPasswordHashAsync(account.Value!.Id, hasher.Hash(password), cancellationToken)
            ? AdminResult.Ok
            : NoSuchAccount(account.Value.Address);
    }

    public async Task<AdminResult> SetEnabledAsync(string address, bool enabled, CancellationToken cancellationToken)
    {
        var account = await FindAccountAsync(address, cancellationToken);
        if (!account.IsOk)
            return account.Outcome;
        return await directory.SetEnabledAsync(account.Value!.Id, enabled, cancellationToken)
            ? AdminResult.Ok
            : NoSuchAccount(account.Value.Address);
    }

    /// <summary>Removes an account with all its data.</summary>
    public async Task<AdminResult> RemoveAccountAsync(string address, CancellationToken cancellationToken)
    {
        var account = await FindAccountAsync(address, cancellationToken);
        if (!account.IsOk)
            return account.Outcome;
        return await directory.RemoveAccountAsync(account.Value!.Id, cancellationToken)
            ? AdminResult.Ok
            : NoSuchAccount(account.Value.Address);
    }

    private async Task<AdminResult<Account>> FindAccountAsync(string address, CancellationToken cancellationToken)
    {
        var parsed = ParseAddress(address);
        if (!parsed.IsOk)
            return parsed.Outcome;
        var canonical = parsed.Value.ToString();
        return await directory.GetAccountAsync(canonical, cancellationToken) is { } account ? account : NoSuchAccount(canonical);
    }

    private static AdminResult NoSuchAccount(string address) => AdminResult.NotFound($"account {address} does not exist");
}
