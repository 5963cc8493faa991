using SyncServer.Core.Model;

namespace SyncServer.Core.Store;

/// <summary>A METADATA entry (RFC 5464 §3.2): a lower-case name under <c>/private/</c> or <c>/shared/</c>, and its value.</summary>
public sealed record MetadataEntry(string Name, ReadOnlyMemory<byte> Value);

/// <summary>
/// What mail clients keep per account beside collections and items: subscriptions (mailbox names, which need not
/// exist — RFC 9051 §6.3.7) and METADATA entries of the server or of one collection (RFC 5464). Each call is its
/// own short transaction; none goes through the change log.
/// </summary>
public interface IMailboxSettingsStore
{
    /// <summary>The account's subscribed mailbox names, in ordinal order.</summary>
    Task<IReadOnlyList<string>> ListSubscriptionsAsync(AccountId account, CancellationToken cancellationToken);

    /// <summary>Subscribes (or unsubscribes) a mailbox name; false when it already was (or was not) subscribed.</summary>
    Task<bool> SetSubscribedAsync(AccountId account, string mailbox, bool subscribed, CancellationToken cancellationToken);

    /// <summary>
    /// The entries <paramref name="account"/> holds on a collection (null: on the server), by name. Private
    /// entries are held by the user who set them, shared ones by the collection's owner.
    /// </summary>
    Task<IReadOnlyList<MetadataEntry>> ListMetadataAsync(AccountId account, CollectionId? collection, CancellationToken cancellationToken);

    /// <summary>Sets entries (a null value removes one) in one transaction; names are stored lower-case.</summary>
    Task SetMetadataAsync(AccountId account, CollectionId? collection, IReadOnlyList<KeyValuePair<string, byte[]?>> entries,
        CancellationToken cancellationToken);
}
