namespace SyncServer.Core.MailAuth;

public enum DmarcResult
{
    None = 0,
    Pass = 1,
    Fail = 2,
    TempError = 3,
}

/// <summary>What the From domain asks receivers to do with mail that fails (RFC 7489 §6.3 p= and sp=).</summary>
public enum DmarcPolicy
{
    None = 0,
    Quarantine = 1,
    Reject = 2,
}

public sealed record DmarcOutcome(DmarcResult Result, DmarcPolicy Policy);

/// <summary>
/// DMARC (RFC 7489): the From domain's policy record and whether SPF or DKIM passed for a domain aligned with From.
/// The organisational domain is simply the last two labels: without the public suffix list a From of
/// <c>mail.example.co.uk</c> is looked up at <c>_dmarc.co.uk</c> as its fallback, and relaxed alignment treats all of
/// <c>co.uk</c> as one organisation.
/// </summary>
public sealed class DmarcCheck(IDnsLookup dns)
{
    public async Task<DmarcOutcome> EvaluateAsync(string fromDomain, SpfResult spf, string spfDomain, IReadOnlyList<string> dkimDomains, CancellationToken cancellationToken)
    {
        fromDomain = fromDomain.TrimEnd('.');
        var organisation = OrganisationalDomain(fromDomain);
        var (failed, tags) = await RecordAsync(fromDomain, cancellationToken);
        var inherited = false;
        if (!failed && tags is null && organisation != fromDomain)
        {
            (failed, tags) = await RecordAsync(organisation, cancellationToken);
            inherited = true;
        }
        if (failed)
            return new DmarcOutcome(DmarcResult.TempError, DmarcPolicy.None);
        // A record without a valid p= is no policy (§6.6.3 would use the rua address, which we never report to).
        if (tags is null || ParsePolicy(tags.GetValueOrDefault("p")) is not { } policy)
            return new DmarcOutcome(DmarcResult.None, DmarcPolicy.None);
        if (inherited && ParsePolicy(tags.GetValueOrDefault("sp")) is { } subdomainPolicy)
            policy = subdomainPolicy;

        var aligned = (spf == SpfResult.Pass && Aligned(spfDomain, fromDomain, tags.GetValueOrDefault("aspf")))
            || dkimDomains.Any(d => Aligned(d, fromDomain, tags.GetValueOrDefault("adkim")));
        return new DmarcOutcome(aligned ? DmarcResult.Pass : DmarcResult.Fail, policy);
    }

    /// <summary>The last two labels (see the class remarks for what this gets wrong).</summary>
    public static string OrganisationalDomain(string domain)
    {
        var labels = domain.TrimEnd('.').Split('.');
        return labels.Length <= 2 ? domain.TrimEnd('.') : string.Join('.', labels[^2..]);
    }

    /// <summary>Strict (<c>s</c>): the same domain; relaxed (the default): the same organisational domain (§3.1).</summary>
    private static bool Aligned(string domain, string fromDomain, string? mode)
        => mode is "s"
            ? string.Equals(domain.TrimEnd('.'), fromDomain, StringComparison.OrdinalIgnoreCase)
            : string.Equals(OrganisationalDomain(domain), OrganisationalDomain(fromDomain), StringComparison.OrdinalIgnoreCase);

    /// <summary>The tags of the one DMARC record at <c>_dmarc.domain</c>; null tags when there is none or more than one (§6.6.3).</summary>
    private async Task<(bool Failed, Dictionary<string, string>? Tags)> RecordAsync(string domain, CancellationToken cancellationToken)
    {
        var answer = await dns.TxtAsync("_dmarc." + domain, cancellationToken);
        if (answer.Outcome == DnsOutcome.Failed)
            return (true, null);
        var records = answer.Records.Select(Tags).Where(t => t.GetValueOrDefault("v") == "DMARC1").ToList();
        return (false, records.Count == 1 ? records[0] : null);
    }

    /// <summary><c>tag=value</c> pairs separated by semicolons (§6.4); tag names lower-cased, values trimmed.</summary>
    private static Dictionary<string, string> Tags(string record)
    {
        var tags = new Dictionary<string, string>();
        foreach (var pair in record.Split(';').Select(t => t.Split('=', 2)).Where(t => t.Length == 2))
            tags.TryAdd(pair[0].Trim().ToLowerInvariant(), pair[1].Trim());
        return tags;
    }

    private static DmarcPolicy? ParsePolicy(string? value) => value?.ToLowerInvariant() switch
    {
        "none" => DmarcPolicy.None,
        "quarantine" => DmarcPolicy.Quarantine,
        "reject" => DmarcPolicy.Reject,
        _ => null,
    };
}
