using System.Net;
using System.Net.Sockets;

namespace SyncServer.Server.Shared;

public sealed class LoginThrottleOptions
{
    /// <summary>
    /// Accounts failing from one address (IPv6: one /64) within <see cref="Window"/> that block it until the oldest expires.
    /// Distinct accounts, not failures: one user's stale password retried by a shared client (Outlook mobile's cloud
    /// service, a NAT) locks that account only, never everyone behind the address (client-requirements EAS-Q-27).
    /// </summary>
    public int MaxFailuresPerAddress { get; init; } = 10;

    /// <summary>Failures of one account within <see cref="Window"/> that lock it, for a delay that doubles with every further failure.</summary>
    public int MaxFailuresPerAccount { get; init; } = 5;

    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(15);
    public TimeSpan FirstLockout { get; init; } = TimeSpan.FromMinutes(1);
    public TimeSpan MaxLockout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Bound on tracked accounts and addresses each; beyond it the least recently failed are forgotten.</summary>
    public int MaxTrackedKeys { get; init; } = 50_000;
}

/// <summary>
/// The failed-login throttle every protocol shares, per account and per remote address, over a sliding window.
/// Call <see cref="IsBlocked"/> before checking a password, then <see cref="RecordFailure"/> or <see cref="RecordSuccess"/>.
/// </summary>
public sealed class LoginThrottle(TimeProvider time, LoginThrottleOptions options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Failures> _accounts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, AddressFailures> _addresses = new(StringComparer.Ordinal);

    /// <summary>Accounts plus addresses currently tracked.</summary>
    public int TrackedKeys
    {
        get
        {
            lock (_lock)
                return _accounts.Count + _addresses.Count;
        }
    }

    public bool IsBlocked(string account, IPAddress? remote)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (remote is not null && _addresses.TryGetValue(AddressKey(remote), out var byAddress)
                && byAddress.CountSince(now - options.Window) >= options.MaxFailuresPerAddress)
                return true;
            return _accounts.TryGetValue(account, out var byAccount) && LockedUntil(byAccount, now) > now;
        }
    }

    public void RecordFailure(string account, IPAddress? remote)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            Track(_accounts, account, now).Add(now, options.MaxFailuresPerAccount * 4);
            if (remote is not null)
                Track(_addresses, AddressKey(remote), now).Add(account, now, options.MaxFailuresPerAddress);
        }
    }

    /// <summary>Forgets the account's failures; the address's stay (others behind it may still be guessing).</summary>
    public void RecordSuccess(string account, IPAddress? remote)
    {
        lock (_lock)
            _accounts.Remove(account);
    }

    private DateTimeOffset LockedUntil(Failures failures, DateTimeOffset now)
    {
        var count = failures.CountSince(now - options.Window);
        if (count < options.MaxFailuresPerAccount)
            return DateTimeOffset.MinValue;
        var doublings = Math.Min(count - options.MaxFailuresPerAccount, 20);
        var delay = TimeSpan.FromTicks(Math.Min(options.FirstLockout.Ticks << doublings, options.MaxLockout.Ticks));
        return failures.Last + delay;
    }

    private T Track<T>(Dictionary<string, T> table, string key, DateTimeOffset now) where T : Tracked, new()
    {
        if (!table.TryGetValue(key, out var failures))
        {
            if (table.Count >= options.MaxTrackedKeys)
                Evict(table, now);
            table[key] = failures = new T();
        }
        return failures;
    }

    /// <summary>Drops entries with no failure in the window (and, when still full, the least recently failed half).</summary>
    private void Evict<T>(Dictionary<string, T> table, DateTimeOffset now) where T : Tracked
    {
        var horizon = now - options.Window - options.MaxLockout;
        foreach (var (key, _) in table.Where(e => e.Value.Last < horizon).ToList())
            table.Remove(key);
        if (table.Count < options.MaxTrackedKeys)
            return;
        foreach (var (key, _) in table.OrderBy(e => e.Value.Last).Take(table.Count / 2).ToList())
            table.Remove(key);
    }

    private static string AddressKey(IPAddress remote)
    {
        if (remote.IsIPv4MappedToIPv6)
            remote = remote.MapToIPv4();
        if (remote.AddressFamily != AddressFamily.InterNetworkV6)
            return remote.ToString();
        var bytes = remote.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private abstract class Tracked
    {
        public DateTimeOffset Last { get; protected set; }
    }

    /// <summary>The most recent failure times of one account, oldest first, at most a few more than a limit needs.</summary>
    private sealed class Failures : Tracked
    {
        private readonly Queue<DateTimeOffset> _times = new();

        public void Add(DateTimeOffset at, int keep)
        {
            _times.Enqueue(at);
            Last = at;
            while (_times.Count > keep)
                _times.Dequeue();
        }

        public int CountSince(DateTimeOffset since) => _times.Count(t => t > since);
    }

    /// <summary>The accounts that failed from one address, each with its latest failure; at most as many as the limit needs.</summary>
    private sealed class AddressFailures : Tracked
    {
        private readonly Dictionary<string, DateTimeOffset> _accounts = new(StringComparer.OrdinalIgnoreCase);

        public void Add(string account, DateTimeOffset at, int keep)
        {
            _accounts[account] = at;
            Last = at;
            if (_accounts.Count > keep)
                _accounts.Remove(_accounts.MinBy(a => a.Value).Key);
        }

        public int CountSince(DateTimeOffset since) => _accounts.Values.Count(t => t > since);
    }
}
