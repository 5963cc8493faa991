using SyncServer.Core.Changes;
using SyncServer.Core.Model;

namespace SyncServer.Core.Store;

/// <summary>
/// Collections, items and the change log. Reads go straight to the database; every mutation goes
/// through a <see cref="IStoreTransaction"/> scoped to one account.
/// </summary>
public interface IStore
{
    /// <summary>
    /// Opens the one write path of an account. It serialises writers of that account (the account's change
    /// counter row is locked), gives every change a new modseq, and publishes to <see cref="IChangeNotifier"/> after commit.
    /// </summary>
    Task<IStoreTransaction> BeginAsync(AccountId account, CancellationToken cancellationToken);

    Task<Collection?> GetCollectionAsync(CollectionId id, CancellationToken cancellationToken);

    Task<IReadOnlyList<Collection>> ListCollectionsAsync(AccountId account, CancellationToken cancellationToken);

    /// <summary>The properties clients set on a collection (DAV PROPPATCH, MKCALENDAR), in name order.</summary>
    Task<IReadOnlyList<CollectionProperty>> GetCollectionPropertiesAsync(CollectionId id, CancellationToken cancellationToken);

    /// <summary>The properties clients set on an item (DAV PROPPATCH on a plain resource), in name order.</summary>
    Task<IReadOnlyList<ItemProperty>> GetItemPropertiesAsync(ItemId id, CancellationToken cancellationToken);

    Task<Item?> GetItemAsync(ItemId id, CancellationToken cancellationToken);

    Task<Item?> GetItemByResourceNameAsync(CollectionId collection, string resourceName, CancellationToken cancellationToken);

    /// <summary>The calendar object or contact whose UID is <paramref name="uid"/> in the collection (a UID is unique there), or null.</summary>
    Task<Item?> FindItemByUidAsync(CollectionId collection, string uid, CancellationToken cancellationToken);

    /// <summary>Items of a collection in IMAP UID order, starting after <paramref name="afterUid"/>, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<Item>> ListItemsAsync(CollectionId collection, ImapUid afterUid, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The items of a collection whose indexed time span (<see cref="CalendarIndex.StartUtc"/> to <see cref="CalendarIndex.EndUtc"/>,
    /// a null end open) meets [<paramref name="from"/>, <paramref name="to"/>] (both inclusive; a null bound is unbounded), and
    /// every item with no start indexed; in IMAP UID order, at most <paramref name="limit"/>. A prefilter: callers apply their
    /// exact test to what it returns.
    /// </summary>
    Task<IReadOnlyList<Item>> ListItemsInTimeSpanAsync(CollectionId collection, DateTimeOffset? from, DateTimeOffset? to, int limit, CancellationToken cancellationToken);

    /// <summary>The items of a collection with these resource names, in IMAP UID order; names of no item are left out.</summary>
    Task<IReadOnlyList<Item>> GetItemsByResourceNamesAsync(CollectionId collection, IReadOnlyCollection<string> resourceNames, CancellationToken cancellationToken);

    /// <summary>The net change of each item of a collection after <paramref name="since"/>, in modseq order, at most <paramref name="limit"/> items.</summary>
    Task<ChangeSet> GetChangesAsync(CollectionId collection, ModSeq since, int limit, CancellationToken cancellationToken);

    /// <summary>Collections of an account created, renamed/moved or deleted after <paramref name="since"/>.</summary>
    Task<HierarchyChangeSet> GetHierarchyChangesAsync(AccountId account, ModSeq since, int limit, CancellationToken cancellationToken);

    /// <summary>Removes change-log rows (tombstones included) older than <paramref name="olderThan"/>; later asks from before them are truncated.</summary>
    Task<int> PruneChangesAsync(DateTimeOffset olderThan, CancellationToken cancellationToken);

    /// <summary>Whether any item or queued outbound message references the blob (used by the blob sweep).</summary>
    Task<bool> IsBlobReferencedAsync(BlobId blob, CancellationToken cancellationToken);

    /// <summary>
    /// Ends a delivery: its copies (<see cref="NewItem.UnfinishedDelivery"/>) and queued messages are from now on
    /// ordinary ones. Until then they are listed by <see cref="ListUnfinishedDeliveriesAsync"/>.
    /// </summary>
    Task FinishDeliveryAsync(DeliveryId delivery, CancellationToken cancellationToken);

    /// <summary>What deliveries begun before <paramref name="startedBefore"/> and never finished have stored, for rolling back.</summary>
    Task<IReadOnlyList<UnfinishedDeliveryPart>> ListUnfinishedDeliveriesAsync(DateTimeOffset startedBefore, CancellationToken cancellationToken);

    /// <summary>A cheap round trip to the database, for <c>/healthz</c>.</summary>
    Task CheckHealthAsync(CancellationToken cancellationToken);
}

/// <summary>
/// One database transaction of one account. Nothing is visible to others, and nothing is published, until
/// <see cref="CommitAsync"/>; disposing without commit rolls back.
/// </summary>
public interface IStoreTransaction : IAsyncDisposable
{
    AccountId Account { get; }

    Task<Collection> CreateCollectionAsync(NewCollection collection, CancellationToken cancellationToken);

    /// <summary>Renames and/or moves a collection (a new parent; null keeps it at the top).</summary>
    Task<Collection> UpdateCollectionAsync(CollectionId id, string name, CollectionId? parentId, CancellationToken cancellationToken);

    /// <summary>Deletes a collection, its items (each leaves a tombstone) and its child collections.</summary>
    Task DeleteCollectionAsync(CollectionId id, CancellationToken cancellationToken);

    /// <summary>Sets (or, with a null <paramref name="xml"/>, removes) one client property of a collection; not a change-log entry.</summary>
    Task SetCollectionPropertyAsync(CollectionId id, string ns, string name, string? xml, CancellationToken cancellationToken);

    /// <summary>Sets (or, with a null <paramref name="xml"/>, removes) one client property of an item; not a change-log entry. They go with the item when it is deleted.</summary>
    Task SetItemPropertyAsync(ItemId id, string ns, string name, string? xml, CancellationToken cancellationToken);

    /// <summary>Adds an item with the next IMAP UID of its collection.</summary>
    Task<Item> AddItemAsync(CollectionId collection, NewItem item, CancellationToken cancellationToken);

    Task<Item> UpdateItemAsync(ItemId id, ItemUpdate update, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a message's content (an edited draft): same ItemId, but since a message never changes under its IMAP
    /// UID (RFC 3501 §2.3.1.1) the new content takes the collection's next UID, with a tombstone for the old one; the
    /// header prefix is dropped and the internal date is the one given. Its properties and keywords stay as given.
    /// </summary>
    Task<Item> ReplaceMessageAsync(ItemId id, BlobId blob, long size, MailIndex mail, DateTimeOffset internalDate, CancellationToken cancellationToken);

    /// <summary>Moves an item to another collection of the same account: same ItemId, a new UID there, a tombstone in the source.</summary>
    Task<Item> MoveItemAsync(ItemId id, CollectionId target, CancellationToken cancellationToken);

    Task DeleteItemAsync(ItemId id, CancellationToken cancellationToken);

    /// <summary>
    /// Creates or replaces a device's sync state of this account, as <see cref="IDeviceStore.SaveSyncStateAsync"/> does, but
    /// in this transaction: it commits or rolls back with the changes the device made (ActiveSync: the ClientId map of its
    /// Adds). Not a change-log entry.
    /// </summary>
    Task SaveSyncStateAsync(SyncState state, CancellationToken cancellationToken);

    Task CommitAsync(CancellationToken cancellationToken);
}

/// <summary>One thing an unfinished delivery stored: a copy in an account, or a message in the outbound queue.</summary>
public sealed record UnfinishedDeliveryPart(DeliveryId Delivery, AccountId? Account, ItemId? Item, QueuedMessageId? QueuedMessage);

/// <summary>Thrown when an operation names a collection or item that does not exist or belongs to another account.</summary>
public sealed class StoreNotFoundException(string message) : Exception(message);

/// <summary>Thrown when a uniqueness rule is broken (e.g. a duplicate resource name or address).</summary>
public sealed class StoreConflictException(string message, Exception? inner = null) : Exception(message, inner);
