using System.Net;
using System.Net.Sockets;

namespace SyncServer.Core.MailAuth;

/// <summary>
/// The DNS questions SPF, DKIM and DMARC ask. The evaluators do no I/O of their own: the server answers over
/// DnsClient, tests from a table.
/// </summary>
public interface IDnsLookup
{
    /// <summary>Each TXT record of <paramref name="name"/>, its character-strings joined (RFC 7208 §3.3).</summary>
    Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken cancellationToken);

    /// <summary>The A (<see cref="AddressFamily.InterNetwork"/>) or AAAA records of <paramref name="name"/>.</summary>
    Task<DnsAnswer<IPAddress>> AddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken);

    /// <summary>The exchange host names of the MX records of <paramref name="name"/>.</summary>
    Task<DnsAnswer<string>> MxAsync(string name, CancellationToken cancellationToken);
}

public enum DnsOutcome
{
    /// <summary>The name exists; there may still be no record of the asked type.</summary>
    Found = 0,
    /// <summary>NXDOMAIN.</summary>
    NoSuchName = 1,
    /// <summary>Timeout or server failure: the answer is unknown (a temporary error for the checks).</summary>
    Failed = 2,
}

public sealed record DnsAnswer<T>(DnsOutcome Outcome, IReadOnlyList<T> Records)
{
    public static DnsAnswer<T> Failure { get; } = new(DnsOutcome.Failed, []);

    /// <summary>An answer that names nothing: NXDOMAIN or no record (RFC 7208 §4.6.4 "void lookup").</summary>
    public bool IsVoid => Outcome == DnsOutcome.NoSuchName || (Outcome == DnsOutcome.Found && Records.Count == 0);
}
