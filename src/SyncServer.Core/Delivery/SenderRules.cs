using SyncServer.Core.Directory;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Core.Delivery;

/// <summary>Who may send as whom (submission, issue 3 item 5) and who may post to a list (item 4).</summary>
internal static class SenderRules
{
    /// <summary>The submission rule; see <see cref="IDeliveryTarget.CheckSenderAsync"/>.</summary>
    public static async Task<DeliveryStatus> CheckAsync(IDirectoryStore directory, DeliveryOrigin origin, string? mailFrom, CancellationToken cancellationToken)
    {
        if (origin.Channel != DeliveryChannel.Submission)
            return DeliveryStatus.Accepted;
        if (!EmailAddress.TryParse(origin.AuthenticatedAccount, out var login) || !EmailAddress.TryParse(mailFrom, out var from)
            || await directory.GetAccountAsync(login.ToString(), cancellationToken) is not { } account)
            return DeliveryStatus.SenderNotOwned;
        var sender = from.ToString();
        if (sender == account.Address)
            return DeliveryStatus.Accepted;
        if (await directory.GetAliasAsync(sender, cancellationToken) is { } alias && alias.Targets.Contains(account.Address))
            return DeliveryStatus.Accepted;
        // Send-as is a right on a whole account (typically a shared mailbox), not on one of its collections.
        if (await directory.GetAccountAsync(sender, cancellationToken) is { } owner
            && (await directory.ListGrantsByGranteeAsync(account.Id, cancellationToken)).Any(g =>
                g.TargetAccount == owner.Id && g.TargetCollection is null && g.Rights.HasFlag(GrantRights.SendAs)))
            return DeliveryStatus.Accepted;
        return DeliveryStatus.SenderNotOwned;
    }

    /// <summary>
    /// The addresses a posting policy judges: the envelope sender and, on submission, the authenticated account
    /// (already checked to own the envelope sender). On MX the envelope sender is only as trustworthy as the
    /// inbound checks (SPF/DMARC, issue 3 item 7) make it.
    /// </summary>
    public static IReadOnlySet<string> PostingIdentities(DeliveryOrigin origin, string? mailFrom)
    {
        var identities = new HashSet<string>(StringComparer.Ordinal);
        if (EmailAddress.TryParse(mailFrom, out var from))
            identities.Add(from.ToString());
        if (origin.Channel == DeliveryChannel.Submission && EmailAddress.TryParse(origin.AuthenticatedAccount, out var login))
            identities.Add(login.ToString());
        return identities;
    }

    public static bool MayPost(DistributionList list, IReadOnlySet<string> identities) => list.Policy switch
    {
        PostingPolicy.Anyone => true,
        PostingPolicy.Members => identities.Any(list.Members.Contains),
        PostingPolicy.Senders => identities.Any(list.AllowedSenders.Contains),
        PostingPolicy.Domain => identities.Any(i => DomainOf(i) == DomainOf(list.Address)),
        _ => false,
    };

    // Both are canonical addresses (EmailAddress form), so the text after the last '@' is the ASCII domain.
    private static string DomainOf(string address) => address[(address.LastIndexOf('@') + 1)..];
}
