using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Core.Directory;

public enum GalEntryKind
{
    User = 1,
    SharedMailbox = 2,
    DistributionList = 3,
}

/// <summary>
/// One entry of the global address list. <see cref="Key"/> names the entry for as long as it exists (an account's id, a
/// list's address): a re-created account with the same address is a new entry.
/// </summary>
public sealed record GalEntry(string Key, GalEntryKind Kind, string Address, string DisplayName);

/// <summary>The global address list of one domain, sorted by address.</summary>
public sealed record GalListing(string Domain, IReadOnlyList<GalEntry> Entries)
{
    /// <summary>
    /// A digest of the entries: it changes exactly when an entry is added, removed or changed, so a view of the listing (a
    /// DAV sync-token, a ctag) can tell whether it is still current without a change log of the directory.
    /// </summary>
    public string Version { get; } = Digest(Entries);

    private static string Digest(IReadOnlyList<GalEntry> entries)
    {
        var text = new StringBuilder();
        foreach (var entry in entries)
            text.Append(CultureInfo.InvariantCulture, $"{entry.Key}\t{(int)entry.Kind}\t{entry.Address}\t{entry.DisplayName}\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..20];
    }
}

/// <summary>
/// The global address list (DESIGN.md §2: a service in Core, read by the DAV directory address book and, later, by
/// ActiveSync's Search GAL): the enabled accounts of a domain (users and shared mailboxes) and its distribution lists.
/// </summary>
public sealed class GlobalAddressList(IDirectoryStore directory)
{
    public async Task<GalListing> ListAsync(string domain, CancellationToken cancellationToken)
    {
        var entries = new List<GalEntry>();
        foreach (var account in await directory.ListAccountsAsync(domain, cancellationToken))
        {
            if (account.Enabled)
            {
                entries.Add(new GalEntry(string.Create(CultureInfo.InvariantCulture, $"account-{account.Id.Value}"),
                    account.Kind == AccountKind.Shared ? GalEntryKind.SharedMailbox : GalEntryKind.User, account.Address, account.DisplayName));
            }
        }
        foreach (var list in await directory.ListListsAsync(domain, cancellationToken))
            entries.Add(new GalEntry("list-" + list.Address, GalEntryKind.DistributionList, list.Address, ""));
        return new GalListing(domain, [.. entries.OrderBy(e => e.Address, StringComparer.Ordinal)]);
    }
}
