using System.Security.Cryptography;
using SyncServer.Core.Credentials;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Core.Directory;

/// <summary>
/// Every change to the directory made by a person — the CLI, the REST API, the web UI — goes through here:
/// this is the one place input is validated. Bad input and races come back as an <see cref="AdminResult"/>,
/// never as an exception.
/// </summary>
public sealed partial class DirectoryAdministration(IDirectoryStore directory, PasswordHasher hasher)
{
    public const int MaxPasswordLength = 1024;
    public const int GeneratedPasswordLength = 20;

    private const string PasswordAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public async Task<AdminResult> AddDomainAsync(string name, CancellationToken cancellationToken)
    {
        if (!EmailAddress.TryParseDomain(name, out var domain))
            return AdminResult.Invalid($"'{name}' is not a valid domain name");
        var exists = AdminResult.Conflict($"domain {domain} already exists");
        if (await directory.GetDomainAsync(domain, cancellationToken) is not null)
            return exists;
        try
        {
            await directory.AddDomainAsync(domain, cancellationToken);
        }
        catch (StoreConflictException)
        {
            return exists;
        }
        return AdminResult.Ok;
    }

    public Task<IReadOnlyList<Domain>> ListDomainsAsync(CancellationToken cancellationToken) => directory.ListDomainsAsync(cancellationToken);

    /// <summary>Removes a domain that has no accounts, aliases or lists left.</summary>
    public async Task<AdminResult> RemoveDomainAsync(string name, CancellationToken cancellationToken)
    {
        var known = await KnownDomainAsync(name, cancellationToken);
        if (!known.IsOk)
            return known.Outcome;
        var domain = known.Value!;
        var inUse = AdminResult.Invalid($"domain {domain} still has accounts, aliases or lists; remove them first");
        if ((await directory.ListAccountsAsync(domain, cancellationToken)).Count > 0
            || (await directory.ListAliasesAsync(domain, cancellationToken)).Count > 0
            || (await directory.ListListsAsync(domain, cancellationToken)).Count > 0)
            return inUse;
        try
        {
            return await directory.RemoveDomainAsync(domain, cancellationToken) ? AdminResult.Ok : NoSuchDomain(domain);
        }
        catch (StoreConflictException)
        {
            return inUse;
        }
    }

    /// <summary>
    /// On a new installation (no administrator yet) creates <paramref name="name"/> with a random password and
    /// returns that password; returns null when an administrator exists.
    /// </summary>
    public async Task<string?> EnsureAdministratorAsync(string name, CancellationToken cancellationToken)
    {
        if (await directory.AnyAdministratorAsync(cancellationToken))
            return null;
        var password = RandomNumberGenerator.GetString(PasswordAlphabet, GeneratedPasswordLength);
        try
        {
            await directory.AddAdministratorAsync(name, hasher.Hash(password), cancellationToken);
        }
        catch (StoreConflictException)
        {
            return null; // another process created it first
        }
        return password;
    }

    public async Task<AdminResult> SetAdministratorPasswordAsync(string name, string password, CancellationToken cancellationToken)
    {
        var check = CheckPassword(password);
        if (!check.IsOk)
            return check;
        return await directory.SetAdministratorPasswordHashAsync(name, hasher.Hash(password), cancellationToken)
            ? AdminResult.Ok
            : AdminResult.NotFound($"administrator {name} does not exist");
    }

    private async Task<AdminResult<string>> KnownDomainAsync(string name, CancellationToken cancellationToken)
    {
        if (!EmailAddress.TryParseDomain(name, out var domain))
            return AdminResult.Invalid($"'{name}' is not a valid domain name");
        if (await directory.GetDomainAsync(domain, cancellationToken) is null)
            return NoSuchDomain(domain);
        return domain;
    }

    private static AdminResult NoSuchDomain(string domain) => AdminResult.NotFound($"domain {domain} does not exist");

    private static AdminResult<EmailAddress> ParseAddress(string text)
        => EmailAddress.TryParse(text, out var address) ? address : AdminResult.Invalid($"'{text}' is not a valid address");

    /// <summary>An address for a new account, alias or list: well-formed, in a known domain, and not yet used.</summary>
    private async Task<AdminResult<EmailAddress>> NewAddressAsync(string text, CancellationToken cancellationToken)
    {
        var parsed = ParseAddress(text);
        if (!parsed.IsOk)
            return parsed;
        var address = parsed.Value;
        var domain = await KnownDomainAsync(address.Domain, cancellationToken);
        if (!domain.IsOk)
            return domain.Outcome;
        var free = await CheckUnusedAsync(address.ToString(), cancellationToken);
        return free.IsOk ? address : free;
    }

    private async Task<AdminResult> CheckUnusedAsync(string address, CancellationToken cancellationToken)
    {
        if (await directory.GetAccountAsync(address, cancellationToken) is not null)
            return AdminResult.Conflict($"{address} is already an account");
        if (await directory.GetAliasAsync(address, cancellationToken) is not null)
            return AdminResult.Conflict($"{address} is already an alias");
        if (await directory.GetListAsync(address, cancellationToken) is not null)
            return AdminResult.Conflict($"{address} is already a list");
        return AdminResult.Ok;
    }

    private static AdminResult<IReadOnlyList<string>> ParseAddresses(IEnumerable<string> texts)
    {
        var addresses = new List<string>();
        foreach (var text in texts)
        {
            var parsed = ParseAddress(text);
            if (!parsed.IsOk)
                return parsed.Outcome;
            if (!addresses.Contains(parsed.Value.ToString()))
                addresses.Add(parsed.Value.ToString());
        }
        return addresses;
    }

    private static AdminResult CheckPassword(string password)
    {
        if (password.Length == 0)
            return AdminResult.Invalid("password is empty");
        if (password.Length > MaxPasswordLength)
            return AdminResult.Invalid($"password is longer than {MaxPasswordLength} characters");
        return password.Any(char.IsControl) ? AdminResult.Invalid("password contains control characters") : AdminResult.Ok;
    }
}
