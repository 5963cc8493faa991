namespace SyncServer.Core.Delivery;

/// <summary>What a spam filter says about a message about to be filed locally.</summary>
public enum SpamVerdict
{
    Clean = 0,
    /// <summary>File into the recipient's Junk collection instead of INBOX.</summary>
    Junk = 1,
}

/// <summary>
/// The spam filter seam of local delivery. No filter exists yet; without one every message is
/// <see cref="SpamVerdict.Clean"/>. Called once per message at commit, before anything is stored.
/// </summary>
public interface ISpamClassifier
{
    /// <summary>Classifies the message as received (without our trace headers); <paramref name="message"/> is read-only and positioned at 0.</summary>
    Task<SpamVerdict> ClassifyAsync(DeliveryOrigin origin, string? mailFrom, Stream message, CancellationToken cancellationToken);
}
