using SyncServer.Core.Credentials;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Core.Directory;

public sealed partial class DirectoryAdministration
{
    public const int MaxAppPasswordNameLength = 64;

    /// <summary>Makes a new app password for a user account; the secret is in the result and is never shown again.</summary>
    public async Task<AdminResult<string>> AddAppPasswordAsync(string address, string name, CancellationToken cancellationToken)
    {
        var account = await FindAccountAsync(address, cancellationToken);
        if (!account.IsOk)
            return account.Outcome;
        if (account.Value!.Kind != AccountKind.User)
            return AdminResult.Invalid($"{account.Value.Address} is a shared mailbox: nobody logs in to it");
        var trimmed = name.Trim();
        if (trimmed.Length is 0 or > MaxAppPasswordNameLength || trimmed.Any(char.IsControl))
            return AdminResult.Invalid($"an app password's name must be 1 to {MaxAppPasswordNameLength} characters without control characters");
        var secret = AppPasswordSecret.Generate();
        try
        {
            await directory.AddAppPasswordAsync(account.Value.Id, trimmed, AppPasswordSecret.Digest(secret)!, cancellationToken);
        }
        catch (StoreConflictException)
        {
            return AdminResult.Conflict($"{account.Value.Address} already has an app password named '{trimmed}'");
        }
        return secret;
    }

    public async Task<AdminResult<IReadOnlyList<AppPassword>>> ListAppPasswordsAsync(string address, CancellationToken cancellationToken)
    {
        var account = await FindAccountAsync(address, cancellationToken);
        if (!account.IsOk)
            return account.Outcome;
        return new(await directory.ListAppPasswordsAsync(account.Value!.Id, cancellationToken), AdminError.None, "");
    }

    public async Task<AdminResult> RemoveAppPasswordAsync(string address, string name, CancellationToken cancellationToken)
    {
        var account = await FindAccountAsync(address, cancellationToken);
        if (!account.IsOk)
            return account.Outcome;
        return await directory.RemoveAppPasswordAsync(account.Value!.Id, name.Trim(), cancellationToken)
            ? AdminResult.Ok
            : AdminResult.NotFound($"{account.Value.Address} has no app password named '{name.Trim()}'");
    }
}
