using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Core.Directory;

/// <summary>Aliases and distribution lists: addresses that deliver to other addresses.</summary>
public sealed partial class DirectoryAdministration
{
    private static readonly Dictionary<string, PostingPolicy> Policies = new(StringComparer.OrdinalIgnoreCase)
    {
        ["members"] = PostingPolicy.Members,
        ["domain"] = PostingPolicy.Domain,
        ["senders"] = PostingPolicy.Senders,
        ["anyone"] = PostingPolicy.Anyone,
    };

    /// <summary>Adds targets to an alias, creating it when new. The source is an address or <c>@domain</c> (catch-all) in a known domain.</summary>
    public async Task<AdminResult> AddAliasAsync(string source, IReadOnlyList<string> targets, CancellationToken cancellationToken)
    {
        var parsedSource = ParseAliasSource(source);
        if (!parsedSource.IsOk)
            return parsedSource.Outcome;
        var (canonical, domain) = parsedSource.Value;
        var known = await KnownDomainAsync(domain, cancellationToken);
        if (!known.IsOk)
            return known.Outcome;
        var existing = await directory.GetAliasAsync(canonical, cancellationToken);
        if (existing is null && !canonical.StartsWith('@'))
        {
            var unused = await CheckUnusedAsync(canonical, cancellationToken);
            if (!unused.IsOk)
                return unused;
        }
        var parsedTargets = ParseAddresses(targets);
        if (!parsedTargets.IsOk)
            return parsedTargets.Outcome;
        var list = parsedTargets.Value!;
        if (list.Count == 0)
            return AdminResult.Invalid("an alias needs at least one target");
        if (list.Contains(canonical))
            return AdminResult.Invalid($"alias {canonical} cannot forward to itself");
        var duplicate = existing?.Targets.FirstOrDefault(list.Contains);
        if (duplicate is not null)
            return AdminResult.Conflict($"alias {canonical} already forwards to {duplicate}");
        try
        {
            await directory.AddAliasAsync(canonical, list, cancellationToken);
        }
        catch (StoreConflictException)
        {
            return AdminResult.Conflict($"alias {canonical} already has one of these targets");
        }
        return AdminResult.Ok;
    }

    /// <summary>Removes the given targets of an alias, or the whole alias when none are given.</summary>
    public async Task<AdminResult> RemoveAliasAsync(string source, IReadOnlyList<string> targets, CancellationToken cancellationToken)
    {
        var parsedSource = ParseAliasSource(source);
        if (!parsedSource.IsOk)
            return parsedSource.Outcome;
        var canonical = parsedSource.Value.Source;
        var parsedTargets = ParseAddresses(targets);
        if (!parsedTargets.IsOk)
            return parsedTargets.Outcome;
        var alias = await directory.GetAliasAsync(canonical, cancellationToken);
        if (alias is null)
            return AdminResult.NotFound($"alias {canonical} does not exist");
        var missing = parsedTargets.Value!.FirstOrDefault(t => !alias.Targets.Contains(t));
        if (missing is not null)
            return AdminResult.NotFound($"alias {canonical} does not forward to {missing}");
        return await directory.RemoveAliasAsync(canonical, parsedTargets.Value!, cancellationToken)
            ? AdminResult.Ok
            : AdminResult.NotFound($"alias {canonical} does not exist");
    }

    public Task<IReadOnlyList<Alias>> ListAliasesAsync(CancellationToken cancellationToken) => directory.ListAliasesAsync(null, cancellationToken);

    /// <summary>Creates a distribution list. <paramref name="policy"/> is members, domain, senders or anyone.</summary>
    public async Task<AdminResult> AddListAsync(string address, string policy, IReadOnlyList<string> members, IReadOnlyList<string> senders, CancellationToken cancellationToken)
    {
        if (!Policies.TryGetValue(policy, out var postingPolicy))
            return AdminResult.Invalid($"'{policy}' is not a posting policy (members, domain, senders or anyone)");
        var parsed = await NewAddressAsync(address, cancellationToken);
        if (!parsed.IsOk)
            return parsed.Outcome;
        var canonical = parsed.Value.ToString();
        var parsedMembers = ParseAddresses(members);
        if (!parsedMembers.IsOk)
            return parsedMembers.Outcome;
        var parsedSenders = ParseAddresses(senders);
        if (!parsedSenders.IsOk)
            return parsedSenders.Outcome;
        if (parsedMembers.Value!.Contains(canonical))
            return AdminResult.Invalid($"list {canonical} cannot be a member of itself");
        if (postingPolicy == PostingPolicy.Senders && parsedSenders.Value!.Count == 0)
            return AdminResult.Invalid("policy senders needs at least one allowed sender");
        try
        {
            await directory.AddListAsync(new DistributionList(canonical, postingPolicy, parsedMembers.Value!, parsedSenders.Value!), cancellationToken);
        }
        catch (StoreConflictException)
        {
            return AdminResult.Conflict($"{canonical} is already a list");
        }
        return AdminResult.Ok;
    }

    public async Task<AdminResult<DistributionList>> GetListAsync(string address, CancellationToken cancellationToken)
    {
        var parsed = ParseAddress(address);
        if (!parsed.IsOk)
            return parsed.Outcome;
        var canonical = parsed.Value.ToString();
        return await directory.GetListAsync(canonical, cancellationToken) is { } list ? list : NoSuchList(canonical);
    }

    public Task<IReadOnlyList<DistributionList>> ListListsAsync(CancellationToken cancellationToken) => directory.ListListsAsync(null, cancellationToken);

    public async Task<AdminResult> RemoveListAsync(string address, CancellationToken cancellationToken)
    {
        var parsed = ParseAddress(address);
        if (!parsed.IsOk)
            return parsed.Outcome;
        var canonical = parsed.Value.ToString();
        return await directory.RemoveListAsync(canonical, cancellationToken) ? AdminResult.Ok : NoSuchList(canonical);
    }

    /// <summary>The policy's name as the CLI and API spell it.</summary>
    public static string PolicyName(PostingPolicy policy) => Policies.First(p => p.Value == policy).Key;

    private static AdminResult NoSuchList(string address) => AdminResult.NotFound($"list {address} does not exist");

    private static AdminResult<(string Source, string Domain)> ParseAliasSource(string source)
    {
        if (source.StartsWith('@'))
        {
            return EmailAddress.TryParseDomain(source[1..], out var domain)
                ? ("@" + domain, domain)
                : AdminResult.Invalid($"'{source}' is not a valid catch-all (@domain)");
        }
        var parsed = ParseAddress(source);
        return parsed.IsOk ? (parsed.Value.ToString(), parsed.Value.Domain) : parsed.Outcome;
    }
}
