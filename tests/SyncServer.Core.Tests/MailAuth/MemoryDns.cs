using System.Net;
using System.Net.Sockets;
using SyncServer.Core.MailAuth;

namespace SyncServer.Core.Tests.MailAuth;

/// <summary>An in-memory <see cref="IDnsLookup"/>: names absent from the table are NXDOMAIN; <see cref="Broken"/> names fail.</summary>
internal sealed class MemoryDns : IDnsLookup
{
    private readonly Dictionary<string, List<object>> _records = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _broken = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Names queried, in order (to check lookup counting).</summary>
    public List<string> Queries { get; } = [];

    public MemoryDns Txt(string name, string text) => Add(name, text);

    public MemoryDns A(string name, string address) => Add(name, IPAddress.Parse(address));

    public MemoryDns Mx(string name, string host) => Add(name, new MxHost(host));

    public bool Has(string name, object record) => _records.TryGetValue(name, out var list) && list.Contains(record);

    public MemoryDns Broken(string name)
    {
        _broken.Add(name);
        return this;
    }

    public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken cancellationToken)
        => Task.FromResult(Answer(name, r => r as string));

    public Task<DnsAnswer<IPAddress>> AddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken)
        => Task.FromResult(Answer(name, r => r is IPAddress ip && ip.AddressFamily == family ? ip : null));

    public Task<DnsAnswer<string>> MxAsync(string name, CancellationToken cancellationToken)
        => Task.FromResult(Answer(name, r => (r as MxHost)?.Host));

    private DnsAnswer<T> Answer<T>(string name, Func<object, T?> select) where T : class
    {
        Queries.Add(name);
        if (_broken.Contains(name))
            return DnsAnswer<T>.Failure;
        return _records.TryGetValue(name, out var all)
            ? new DnsAnswer<T>(DnsOutcome.Found, all.Select(select).OfType<T>().ToList())
            : new DnsAnswer<T>(DnsOutcome.NoSuchName, []);
    }

    private MemoryDns Add(string name, object record)
    {
        if (!_records.TryGetValue(name, out var list))
            _records[name] = list = [];
        list.Add(record);
        return this;
    }

    private sealed record MxHost(string Host);
}
