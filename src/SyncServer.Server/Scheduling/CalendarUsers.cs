using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Server.Scheduling;

/// <summary>
/// A calendar user's addresses (RFC 6638 §2.4.1 calendar-user-address-set): the account's address and each alias that
/// delivers to that account alone. An event is the user's to schedule when its ORGANIZER is one of them, and an ATTENDEE
/// line is theirs when it names one of them.
/// </summary>
public sealed class CalendarUsers(IDirectoryStore directory)
{
    public async Task<IReadOnlyList<string>> AddressesAsync(Account account, CancellationToken cancellationToken)
    {
        var aliases = await directory.ListAliasesAsync(null, cancellationToken);
        return [account.Address, .. aliases
            .Where(a => !a.Source.StartsWith('@') && a.Targets.Count == 1 && string.Equals(a.Targets[0], account.Address, StringComparison.OrdinalIgnoreCase))
            .Select(a => a.Source)];
    }

    /// <summary>Whether <paramref name="address"/> (as <c>ScheduledObject</c> reads it, lower case) is one of <paramref name="addresses"/>.</summary>
    public static bool Includes(IReadOnlyList<string> addresses, string address)
        => addresses.Any(a => string.Equals(a, address, StringComparison.OrdinalIgnoreCase));
}
