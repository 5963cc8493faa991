using SyncServer.Core.Model;

namespace SyncServer.Core.Changes;

public enum ItemChangeKind
{
    Created = 1,
    Updated = 2,
    Deleted = 3,
}

/// <summary>One item's net change since the asked modseq. <see cref="Item"/> is null for a deletion (a tombstone).</summary>
public sealed record ItemChange(ItemChangeKind Kind, ItemId ItemId, ImapUid ImapUid, string ResourceName, ModSeq ModSeq, Item? Item);

/// <summary>
/// Changes of one collection in modseq order. <see cref="NextModSeq"/> is where the next call should start
/// (the modseq of the last change included). <see cref="IsTruncated"/>: the log was pruned after the asked
/// modseq, so the caller must do a full resync (DAV valid-sync-token, EAS status 3/9/12).
/// </summary>
public sealed record ChangeSet(IReadOnlyList<ItemChange> Changes, ModSeq NextModSeq, bool HasMore, bool IsTruncated);

public enum CollectionChangeKind
{
    Created = 1,
    Updated = 2,
    Deleted = 3,
}

/// <summary>One collection's net change (created, renamed/moved, deleted). <see cref="Collection"/> is null when deleted.</summary>
public sealed record CollectionChange(CollectionChangeKind Kind, CollectionId CollectionId, ModSeq ModSeq, Collection? Collection);

public sealed record HierarchyChangeSet(IReadOnlyList<CollectionChange> Changes, ModSeq NextModSeq, bool HasMore, bool IsTruncated);

/// <summary>Published after a commit. <see cref="Collection"/> is null for a change of the hierarchy only.</summary>
public sealed record ChangeNotification(AccountId Account, CollectionId? Collection, ModSeq ModSeq);

/// <summary>
/// Wakes sessions (IMAP IDLE, ActiveSync Ping, DAV push) when an account changes, whichever protocol or
/// process made the change.
/// </summary>
public interface IChangeNotifier
{
    /// <summary>Subscribes to one account's changes until the subscription is disposed.</summary>
    IChangeSubscription Subscribe(AccountId account);

    /// <summary>Called by the store after a commit; delivers to local subscribers and, where the store is shared, to other processes.</summary>
    ValueTask PublishAsync(ChangeNotification notification, CancellationToken cancellationToken);
}

public interface IChangeSubscription : IDisposable
{
    AccountId Account { get; }

    /// <summary>Notifications in the order published; never blocks the publisher (a slow reader sees a coalesced stream).</summary>
    System.Threading.Channels.ChannelReader<ChangeNotification> Changes { get; }
}
