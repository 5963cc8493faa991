using SyncServer.Core.Directory;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Core.Delivery;

/// <summary>Where one copy of a message goes.</summary>
internal abstract record Destination;

/// <summary>A local account's mailbox. <paramref name="ViaList"/>: reached by expanding a distribution list.</summary>
internal sealed record MailboxDestination(Account Account, bool ViaList) : Destination;

/// <summary>An address in a domain we do not serve. <paramref name="Expanded"/>: reached through an alias or list.</summary>
internal sealed record RelayDestination(string Address, bool Expanded) : Destination;

/// <summary>The answer to one RCPT: a status, and when it is a success, the destinations it stands for.</summary>
internal sealed record Resolution(DeliveryStatus Status, IReadOnlyList<Destination> Destinations);

/// <summary>
/// Resolves a recipient through the directory: account, then alias, then distribution list, then the domain's
/// catch-all (<c>@domain</c>) when no exact address matches. Aliases and lists expand recursively up to
/// <see cref="DeliveryOptions.MaxExpansionDepth"/>, and an address reached twice in one expansion is a loop there.
/// <para>
/// One recipient stands for all its destinations: a temporary failure of any of them fails the recipient
/// temporarily (the sender retries, nobody gets half), while permanent failures of some targets (an unknown
/// address in a list, a list the sender may not post to behind an alias) are dropped when others remain. A list's
/// posting policy is checked where the sender reaches it, not for lists nested in it: the outer list's policy
/// authorised the post, and an administrator put the inner list there.
/// </para>
/// </summary>
internal sealed class RecipientResolver(IDirectoryStore directory, DeliveryOptions options, DeliveryOrigin origin, string? mailFrom, bool canRelay)
{
    private readonly IReadOnlySet<string> _postingIdentities = SenderRules.PostingIdentities(origin, mailFrom);
    private readonly string? _sender = EmailAddress.TryParse(mailFrom, out var sender) ? sender.ToString() : null;
    private readonly Dictionary<string, bool> _servedDomains = new(StringComparer.Ordinal);

    public async Task<Resolution> ResolveAsync(string address, CancellationToken cancellationToken)
    {
        if (!EmailAddress.TryParse(await QualifyPostmasterAsync(address, cancellationToken), out var parsed))
            return new Resolution(DeliveryStatus.BadRecipientAddress, []);
        var walk = new Walk();
        await VisitAsync(parsed, 0, viaList: false, walk, cancellationToken);
        return walk.Result();
    }

    private async Task VisitAsync(EmailAddress address, int depth, bool viaList, Walk walk, CancellationToken cancellationToken)
    {
        var canonical = address.ToString();
        if (depth > options.MaxExpansionDepth || !walk.Visited.Add(canonical))
        {
            walk.Failures.Add(DeliveryStatus.RoutingLoop);
            return;
        }
        if (!await ServesAsync(address.Domain, cancellationToken))
        {
            if (depth == 0 && origin.Channel == DeliveryChannel.Mx)
                walk.Failures.Add(DeliveryStatus.RelayDenied);
            else if (!canRelay)
                walk.Failures.Add(DeliveryStatus.RelayUnavailable);
            else
                walk.Destinations.Add(new RelayDestination(canonical, Expanded: depth > 0));
            return;
        }
        if (await directory.GetAccountAsync(canonical, cancellationToken) is { } account)
            AddMailbox(account, viaList, walk);
        else if (await directory.GetAliasAsync(canonical, cancellationToken) is { } alias)
            await VisitTargetsAsync(alias.Targets, depth, viaList, walk, cancellationToken);
        else if (await directory.GetListAsync(canonical, cancellationToken) is { } list)
            await VisitListAsync(list, depth, viaList, walk, cancellationToken);
        else if (await directory.GetAliasAsync("@" + address.Domain, cancellationToken) is { } catchAll && walk.Visited.Add(catchAll.Source))
            await VisitTargetsAsync(catchAll.Targets, depth, viaList, walk, cancellationToken);
        else
            walk.Failures.Add(DeliveryStatus.UnknownUser);
    }

    /// <summary>
    /// RFC 5321 §4.5.1: <c>Postmaster</c> without a domain must be accepted. It stands for the postmaster of the first
    /// domain we serve (by name, as the directory lists them), or of <see cref="DeliveryOptions.ServerName"/> while
    /// none is served; that address then resolves like any other (an account, an alias or the catch-all).
    /// </summary>
    private async Task<string> QualifyPostmasterAsync(string address, CancellationToken cancellationToken)
    {
        if (!string.Equals(address, "postmaster", StringComparison.OrdinalIgnoreCase))
            return address;
        var domains = await directory.ListDomainsAsync(cancellationToken);
        return "postmaster@" + (domains.Count > 0 ? domains[0].Name : options.ServerName);
    }

    private static void AddMailbox(Account account, bool viaList, Walk walk)
    {
        if (!account.Enabled)
            walk.Failures.Add(DeliveryStatus.MailboxDisabled);
        // A full mailbox refuses mail sent to it, not to a list it is on: one full member must not block the list.
        else if (!viaList && account.QuotaBytes is { } quota && account.UsedBytes >= quota)
            walk.Failures.Add(DeliveryStatus.MailboxFullTemporary);
        else
            walk.Destinations.Add(new MailboxDestination(account, viaList));
    }

    private async Task VisitListAsync(DistributionList list, int depth, bool viaList, Walk walk, CancellationToken cancellationToken)
    {
        if (list.Address == _sender)
            walk.Failures.Add(DeliveryStatus.RoutingLoop); // the list's own mail coming back to it
        else if (!viaList && !SenderRules.MayPost(list, _postingIdentities))
            walk.Failures.Add(DeliveryStatus.NotAllowedToPost);
        else
            await VisitTargetsAsync(list.Members, depth, viaList: true, walk, cancellationToken);
    }

    private async Task VisitTargetsAsync(IReadOnlyList<string> targets, int depth, bool viaList, Walk walk, CancellationToken cancellationToken)
    {
        foreach (var target in targets)
        {
            if (EmailAddress.TryParse(target, out var parsed))
                await VisitAsync(parsed, depth + 1, viaList, walk, cancellationToken);
            else
                walk.Failures.Add(DeliveryStatus.BadRecipientAddress);
        }
    }

    private async Task<bool> ServesAsync(string domain, CancellationToken cancellationToken)
    {
        if (!_servedDomains.TryGetValue(domain, out var served))
            _servedDomains[domain] = served = await directory.GetDomainAsync(domain, cancellationToken) is not null;
        return served;
    }

    /// <summary>The state of one recipient's expansion.</summary>
    private sealed class Walk
    {
        public HashSet<string> Visited { get; } = new(StringComparer.Ordinal);
        public List<Destination> Destinations { get; } = [];
        public List<DeliveryStatus> Failures { get; } = [];

        public Resolution Result()
        {
            if (Failures.FirstOrDefault(f => f.IsTransient) is { } transient)
                return new Resolution(transient, []);
            if (Destinations.Count > 0)
                return new Resolution(DeliveryStatus.Accepted, Destinations);
            // Nothing to deliver and nothing wrong: an empty list.
            return new Resolution(Failures.FirstOrDefault() ?? DeliveryStatus.Accepted, []);
        }
    }
}
