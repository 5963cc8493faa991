using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using SyncServer.Core.MailAuth;
using SyncServer.Server.Hosting;

namespace SyncServer.Server.Shared;

/// <summary>The SPF/DKIM/DMARC lookups over DnsClient, asking <c>Dns:Server</c> (the system's resolvers when unset).</summary>
public sealed class DnsLookup(ILookupClient dns) : IDnsLookup
{
    /// <summary>The client the mail code shares: the configured server, DNS errors as answers, no cache, 5 s timeout.</summary>
    public static ILookupClient CreateClient(DnsSettings settings)
    {
        var options = settings.Server is { } server && IPEndPoint.TryParse(server, out var endPoint)
            ? new LookupClientOptions(new NameServer(endPoint.Address, endPoint.Port == 0 ? NameServer.DefaultPort : endPoint.Port))
            : new LookupClientOptions();
        // DNS errors are answers we map ourselves; a cached negative answer would delay a retry that could succeed.
        options.ThrowDnsErrors = false;
        options.UseCache = false;
        options.Timeout = TimeSpan.FromSeconds(5);
        return new LookupClient(options);
    }

    public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken cancellationToken)
        => QueryAsync(name, QueryType.TXT, r => r.TxtRecords().Select(t => string.Concat(t.Text)), cancellationToken);

    public Task<DnsAnswer<IPAddress>> AddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken)
        => QueryAsync(name, family == AddressFamily.InterNetwork ? QueryType.A : QueryType.AAAA,
            r => r.OfType<AddressRecord>().Select(a => a.Address), cancellationToken);

    public Task<DnsAnswer<string>> MxAsync(string name, CancellationToken cancellationToken)
        => QueryAsync(name, QueryType.MX, r => r.MxRecords().Select(m => m.Exchange.Value.TrimEnd('.')), cancellationToken);

    private async Task<DnsAnswer<T>> QueryAsync<T>(string name, QueryType type, Func<IEnumerable<DnsResourceRecord>, IEnumerable<T>> select, CancellationToken cancellationToken)
    {
        try
        {
            var response = await dns.QueryAsync(name, type, QueryClass.IN, cancellationToken);
            if (response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
                return new DnsAnswer<T>(DnsOutcome.NoSuchName, []);
            return response.HasError ? DnsAnswer<T>.Failure : new DnsAnswer<T>(DnsOutcome.Found, select(response.Answers).ToList());
        }
        catch (DnsResponseException)
        {
            return DnsAnswer<T>.Failure; // timeout or unreachable server
        }
    }
}
