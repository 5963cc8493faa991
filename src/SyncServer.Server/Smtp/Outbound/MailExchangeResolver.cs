using System.Net;
using DnsClient;
using DnsClient.Protocol;
using SyncServer.Core.Delivery;
using SyncServer.Server.Hosting;
using SyncServer.Server.Shared;

namespace SyncServer.Server.Smtp.Outbound;

/// <summary>Finds where to deliver mail for a domain (RFC 5321 §5.1).</summary>
public interface IMailExchangeResolver
{
    Task<MailExchangeLookup> ResolveAsync(string domain, CancellationToken cancellationToken);
}

/// <summary>One host to try with its addresses, in the order to try them.</summary>
public sealed record MailExchange(string Host, IReadOnlyList<IPAddress> Addresses);

/// <summary>The hosts in preference order, or why there are none (a transient or permanent status).</summary>
public sealed record MailExchangeLookup(IReadOnlyList<MailExchange> Hosts, DeliveryStatus? Failure);

/// <summary>
/// MX records by preference, each host's A and AAAA; without MX records the domain itself is the host (the
/// implicit MX). A null MX (RFC 7505) and a domain that does not exist fail permanently; DNS errors are transient.
/// </summary>
public sealed class DnsMailExchangeResolver(ILookupClient dns) : IMailExchangeResolver
{
    private static readonly DeliveryStatus NoSuchDomain = new(550, "5.1.2", "destination domain does not exist");
    private static readonly DeliveryStatus NullMx = new(556, "5.1.10", "destination domain accepts no mail (null MX)");
    private static readonly DeliveryStatus NoAddress = new(550, "5.1.2", "destination domain has no mail server address");
    private static readonly DeliveryStatus DnsFailure = new(451, "4.4.3", "DNS lookup failed");

    public static DnsMailExchangeResolver Create(DnsSettings settings) => new(DnsLookup.CreateClient(settings));

    public async Task<MailExchangeLookup> ResolveAsync(string domain, CancellationToken cancellationToken)
    {
        var mx = await QueryAsync(domain, QueryType.MX, cancellationToken);
        if (mx is null)
            return Failed(DnsFailure);
        if (mx.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
            return Failed(NoSuchDomain);
        var records = mx.Answers.MxRecords().OrderBy(r => r.Preference).ToList();
        if (records is [{ Exchange.Value: "." }])
            return Failed(NullMx);
        var names = records.Count > 0 ? records.Select(r => r.Exchange.Value.TrimEnd('.')).ToList() : [domain];

        var hosts = new List<MailExchange>();
        var lookupFailed = false;
        foreach (var name in names)
        {
            var addresses = new List<IPAddress>();
            foreach (var type in new[] { QueryType.A, QueryType.AAAA })
            {
                var answer = await QueryAsync(name, type, cancellationToken);
                lookupFailed |= answer is null;
                addresses.AddRange(answer?.Answers.OfType<AddressRecord>().Select(a => a.Address) ?? []);
            }
            if (addresses.Count > 0)
                hosts.Add(new MailExchange(name, addresses));
        }
        if (hosts.Count > 0)
            return new MailExchangeLookup(hosts, null);
        return Failed(lookupFailed ? DnsFailure : NoAddress);
    }

    private static MailExchangeLookup Failed(DeliveryStatus status) => new([], status);

    /// <summary>The response, or null when the server failed or did not answer.</summary>
    private async Task<IDnsQueryResponse?> QueryAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        try
        {
            var response = await dns.QueryAsync(name, type, QueryClass.IN, cancellationToken);
            return response.HasError && response.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain ? null : response;
        }
        catch (DnsResponseException)
        {
            return null;
        }
    }
}
