using System.Net;
using SyncServer.Core.Credentials;
using SyncServer.Core.Directory;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Server.Shared;

public enum AuthenticationOutcome
{
    Succeeded = 1,
    /// <summary>Unknown account, wrong password, disabled or shared account: one answer, so none can be told apart.</summary>
    Failed = 2,
    /// <summary>Too many recent failures for the account or the address; the password was not checked.</summary>
    Throttled = 3,
}

public sealed record AuthenticationResult(AuthenticationOutcome Outcome, Account? Account);

/// <summary>
/// Checks an account's password for every protocol (IMAP, SMTP AUTH, POP3, DAV, ActiveSync): consults the
/// <see cref="LoginThrottle"/>, accepts the account password or one of its app passwords, refuses disabled and shared
/// accounts, and upgrades imported or weaker hashes on success.
/// </summary>
public sealed partial class Authenticator(IDirectoryStore directory, PasswordHasher hasher, LoginThrottle throttle, ILogger<Authenticator> logger)
{
    // Verified when the account does not exist, so an unknown address costs as much time as a wrong password.
    private readonly Lazy<string> _decoyHash = new(() => hasher.Hash(Guid.NewGuid().ToString()));

    public async Task<AuthenticationResult> AuthenticateAsync(string address, string password, IPAddress? remote, string protocol, CancellationToken cancellationToken)
    {
        var key = EmailAddress.TryParse(address, out var parsed) ? parsed.ToString()
            : !address.Contains('@') && await AddressOfLoginNameAsync(address, cancellationToken) is { } full ? full
            : address;
        if (throttle.IsBlocked(key, remote))
        {
            LoginThrottled(logger, protocol, key, remote);
            return new AuthenticationResult(AuthenticationOutcome.Throttled, null);
        }
        var account = EmailAddress.TryParse(key, out _) ? await directory.GetAccountAsync(key, cancellationToken) : null;
        // An app password is looked up by digest first: it is random, so it needs no slow hash and a phone that
        // authenticates every request does not pay for one.
        var appPassword = account is not null && AppPasswordSecret.Digest(password) is { } digest
            ? await directory.UseAppPasswordAsync(account.Id, digest, cancellationToken)
            : null;
        var valid = appPassword is not null || hasher.Verify(password, account?.PasswordHash ?? _decoyHash.Value);
        if (account is null || !valid || !account.Enabled || account.Kind != AccountKind.User)
        {
            throttle.RecordFailure(key, remote);
            LoginFailed(logger, protocol, key, remote);
            return new AuthenticationResult(AuthenticationOutcome.Failed, null);
        }
        throttle.RecordSuccess(key, remote);
        if (appPassword is null && hasher.NeedsRehash(account.PasswordHash))
        {
            await directory.SetPasswordHashAsync(account.Id, hasher.Hash(password), cancellationToken);
            PasswordRehashed(logger, key);
        }
        if (appPassword is not null)
            AppPasswordUsed(logger, protocol, key, appPassword, remote);
        else
            LoginSucceeded(logger, protocol, key, remote);
        return new AuthenticationResult(AuthenticationOutcome.Succeeded, account);
    }

    /// <summary>
    /// A login name without a domain (iOS fills only the local part from Autodiscover, client-requirements EAS-Q-17) is
    /// the account of that name in the one served domain that has it; in none or in several, it is no account.
    /// </summary>
    private async Task<string?> AddressOfLoginNameAsync(string name, CancellationToken cancellationToken)
    {
        string? found = null;
        foreach (var domain in await directory.ListDomainsAsync(cancellationToken))
        {
            if (!EmailAddress.TryParse($"{name}@{domain.Name}", out var candidate) || await directory.GetAccountAsync(candidate.ToString(), cancellationToken) is null)
                continue;
            if (found is not null)
                return null;
            found = candidate.ToString();
        }
        return found;
    }

    [LoggerMessage(2001, LogLevel.Information, "{Protocol} login of {Account} from {Remote} succeeded")]
    private static partial void LoginSucceeded(ILogger logger, string protocol, string account, IPAddress? remote);

    [LoggerMessage(2002, LogLevel.Warning, "{Protocol} login of {Account} from {Remote} failed")]
    private static partial void LoginFailed(ILogger logger, string protocol, string account, IPAddress? remote);

    [LoggerMessage(2003, LogLevel.Warning, "{Protocol} login of {Account} from {Remote} refused: too many failures")]
    private static partial void LoginThrottled(ILogger logger, string protocol, string account, IPAddress? remote);

    [LoggerMessage(2005, LogLevel.Information, "{Protocol} login of {Account} with app password '{AppPassword}' from {Remote} succeeded")]
    private static partial void AppPasswordUsed(ILogger logger, string protocol, string account, string appPassword, IPAddress? remote);

    [LoggerMessage(2004, LogLevel.Information, "Password hash of {Account} upgraded to the current scheme")]
    private static partial void PasswordRehashed(ILogger logger, string account);
}
