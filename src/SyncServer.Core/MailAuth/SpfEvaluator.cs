using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace SyncServer.Core.MailAuth;

/// <summary>
/// SPF's check_host() (RFC 7208 §4): is <c>ip</c> allowed to send mail for the MAIL FROM domain (or the HELO name
/// when the reverse path is null)? All DNS goes through <see cref="IDnsLookup"/>; the evaluator itself does no I/O.
/// </summary>
public sealed partial class SpfEvaluator(IDnsLookup dns)
{
    /// <summary>Mechanisms and modifiers that query DNS, per evaluation including includes (§4.6.4).</summary>
    public const int MaxDnsLookups = 10;

    /// <summary>Lookups answered NXDOMAIN or empty, per evaluation (§4.6.4 suggests 2).</summary>
    public const int MaxVoidLookups = 2;

    /// <summary>MX names one <c>mx</c> mechanism may look at (§4.6.4).</summary>
    private const int MaxMxNames = 10;

    /// <summary>The result for <paramref name="ip"/> sending from <paramref name="mailFrom"/> (null or empty: the null reverse path).</summary>
    public Task<SpfResult> CheckAsync(IPAddress ip, string? mailFrom, string helo, CancellationToken cancellationToken)
    {
        // The null reverse path is checked as postmaster@HELO (§2.4); a local part alone gets the HELO domain too.
        var sender = string.IsNullOrEmpty(mailFrom) ? "postmaster@" + helo : mailFrom.Contains('@') ? mailFrom : mailFrom + "@" + helo;
        var identity = new SpfIdentity(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip, sender, helo);
        return new Evaluation(dns, identity, cancellationToken).CheckHostAsync(identity.SenderDomain);
    }

    /// <summary>How a mechanism came out; the errors end the evaluation.</summary>
    private enum Match
    {
        No = 0,
        Yes = 1,
        TempError = 2,
        PermError = 3,
    }

    /// <summary>One evaluation: the lookup counters are shared by every include and redirect it follows.</summary>
    private sealed class Evaluation(IDnsLookup dns, SpfIdentity identity, CancellationToken cancellationToken)
    {
        private int _lookups;
        private int _voidLookups;

        public async Task<SpfResult> CheckHostAsync(string domain)
        {
            if (!IsDomain(domain))
                return SpfResult.None; // §4.3: a malformed or single-label domain has no policy
            var txt = await dns.TxtAsync(domain, cancellationToken);
            if (txt.Outcome == DnsOutcome.Failed)
                return SpfResult.TempError;
            var records = txt.Records.Where(SpfRecord.IsSpf).ToList();
            if (records.Count == 0)
                return SpfResult.None;
            if (records.Count > 1 || SpfRecord.Parse(records[0]) is not { } record)
                return SpfResult.PermError;

            foreach (var directive in record.Directives)
            {
                switch (await EvaluateAsync(directive, domain))
                {
                    case Match.Yes: return directive.Qualifier;
                    case Match.TempError: return SpfResult.TempError;
                    case Match.PermError: return SpfResult.PermError;
                }
            }
            if (record.Redirect is null)
                return SpfResult.Neutral;
            if (!CountLookup() || SpfMacro.Expand(record.Redirect, identity, domain) is not { } target)
                return SpfResult.PermError;
            var result = await CheckHostAsync(target);
            return result == SpfResult.None ? SpfResult.PermError : result; // §6.1: a redirect to no policy is an error
        }

        private async Task<Match> EvaluateAsync(SpfDirective directive, string domain)
        {
            var argument = directive.Argument;
            switch (directive.Mechanism)
            {
                case "all":
                    return Match.Yes;
                case "ip4":
                case "ip6":
                    return Network(argument[1..], directive.Mechanism == "ip4") is { } network
                        ? Matches(identity.Ip, network.Address, network.Prefix) ? Match.Yes : Match.No
                        : Match.PermError;
            }
            // Every other mechanism queries DNS and counts against the limit.
            if (!CountLookup())
                return Match.PermError;
            switch (directive.Mechanism)
            {
                case "include":
                    return SpfMacro.Expand(argument[1..], identity, domain) is { } included
                        ? await IncludeAsync(included)
                        : Match.PermError;
                case "exists":
                    if (SpfMacro.Expand(argument[1..], identity, domain) is not { } name)
                        return Match.PermError;
                    // exists always asks for A records, whatever the connection's family (§5.7).
                    var exists = await dns.AddressesAsync(name, AddressFamily.InterNetwork, cancellationToken);
                    return Answered(exists) ?? (exists.Records.Count > 0 ? Match.Yes : Match.No);
                case "ptr":
                    return Match.No; // §5.5 says do not use ptr; we never validate reverse names, so it never matches
            }
            if (SpfRecord.DualCidr(argument) is not { } cidr)
                return Match.PermError;
            var target = cidr.Domain is null ? domain : SpfMacro.Expand(cidr.Domain, identity, domain);
            if (target is null)
                return Match.PermError;
            var prefix = identity.Ip.AddressFamily == AddressFamily.InterNetwork ? cidr.V4 : cidr.V6;
            return directive.Mechanism == "a"
                ? await AddressMatchesAsync(target, prefix)
                : await MxMatchesAsync(target, prefix);
        }

        private async Task<Match> IncludeAsync(string target)
            => await CheckHostAsync(target) switch
            {
                SpfResult.Pass => Match.Yes,
                SpfResult.Fail or SpfResult.SoftFail or SpfResult.Neutral => Match.No,
                SpfResult.TempError => Match.TempError,
                _ => Match.PermError, // permerror, and none: an include of a domain without a policy (§5.2)
            };

        private async Task<Match> AddressMatchesAsync(string name, int prefix)
        {
            var addresses = await dns.AddressesAsync(name, identity.Ip.AddressFamily, cancellationToken);
            return Answered(addresses) ?? (addresses.Records.Any(a => Matches(identity.Ip, a, prefix)) ? Match.Yes : Match.No);
        }

        private async Task<Match> MxMatchesAsync(string name, int prefix)
        {
            var mx = await dns.MxAsync(name, cancellationToken);
            if (Answered(mx) is { } error)
                return error;
            if (mx.Records.Count > MaxMxNames)
                return Match.PermError;
            foreach (var host in mx.Records)
            {
                // The lookups of the MX hosts' addresses count only as void lookups, not against the limit of 10 (§4.6.4).
                if (await AddressMatchesAsync(host, prefix) is var match and not Match.No)
                    return match;
            }
            return Match.No;
        }

        /// <summary>The error an answer ends the evaluation with (temperror, or permerror past the void-lookup limit), else null.</summary>
        private Match? Answered<T>(DnsAnswer<T> answer)
        {
            if (answer.Outcome == DnsOutcome.Failed)
                return Match.TempError;
            if (answer.IsVoid && ++_voidLookups > MaxVoidLookups)
                return Match.PermError;
            return null;
        }

        private bool CountLookup() => ++_lookups <= MaxDnsLookups;
    }

    private static (IPAddress Address, int Prefix)? Network(string text, bool v4)
    {
        var slash = text.IndexOf('/');
        var address = slash < 0 ? text : text[..slash];
        var maxPrefix = v4 ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix > maxPrefix))
            return null;
        // IPAddress.TryParse also takes "1" or "1.2" as IPv4; SPF wants the four-part dotted quad.
        if (v4 && !DottedQuad().IsMatch(address))
            return null;
        if (!IPAddress.TryParse(address, out var parsed) || parsed.AddressFamily != (v4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6))
            return null;
        return (parsed, prefix);
    }

    /// <summary>Whether the first <paramref name="prefix"/> bits are equal; addresses of different families never match.</summary>
    private static bool Matches(IPAddress ip, IPAddress network, int prefix)
    {
        if (ip.AddressFamily != network.AddressFamily)
            return false;
        var a = ip.GetAddressBytes();
        var b = network.GetAddressBytes();
        for (var bit = 0; bit < prefix; bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((a[bit / 8] & mask) != (b[bit / 8] & mask))
                return false;
        }
        return true;
    }

    /// <summary>At least two labels of 1–63 characters, 253 in all (§4.3).</summary>
    private static bool IsDomain(string domain)
    {
        var labels = domain.TrimEnd('.').Split('.');
        return domain.Length <= 253 && labels.Length >= 2 && labels.All(l => l.Length is > 0 and <= 63);
    }

    [GeneratedRegex(@"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$")]
    private static partial Regex DottedQuad();
}
