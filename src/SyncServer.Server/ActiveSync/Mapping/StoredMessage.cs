using System.Globalization;
using MimeKit;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Server.ActiveSync.Mapping;

/// <summary>A stored message as the ActiveSync commands read it: the item, its bytes (trace prefix and blob) and MimeKit's parse of them.</summary>
public sealed record StoredMessage(Item Item, byte[] Raw, MimeMessage Message)
{
    public static async Task<StoredMessage> LoadAsync(Item item, IBlobStore blobs, CancellationToken cancellationToken)
    {
        await using var content = await ItemContent.OpenAsync(item, blobs, cancellationToken);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        var raw = buffer.ToArray();
        return new StoredMessage(item, raw, await MimeMessage.LoadAsync(new MemoryStream(raw, writable: false), cancellationToken));
    }

    /// <summary>
    /// The message a client names by collection and ServerId (<c>collection:item</c>, as Sync sends it), or by the
    /// ServerId alone; null unless it is a message of <paramref name="account"/> in a served collection.
    /// </summary>
    public static async Task<Item?> FindAsync(IStore store, AccountId account, string? collectionId, string? serverId, CancellationToken cancellationToken)
    {
        if (!MessageServerId.TryParse(serverId, out var collection, out var id)
            || (collectionId is not null && collectionId != collection.Value.ToString(CultureInfo.InvariantCulture)))
            return null;
        var item = await store.GetItemAsync(id, cancellationToken);
        if (item is null || item.AccountId != account || item.CollectionId != collection || item.Mail is null)
            return null;
        return await store.GetCollectionAsync(collection, cancellationToken) is { } folder && FolderTypes.IsServed(folder) ? item : null;
    }
}

/// <summary>The ServerId of a message: <c>collection:item</c> (both store ids), stable while the message stays in its folder.</summary>
public static class MessageServerId
{
    public static string Format(CollectionId collection, ItemId item)
        => $"{collection.Value.ToString(CultureInfo.InvariantCulture)}:{item.Value.ToString(CultureInfo.InvariantCulture)}";

    public static bool TryParse(string? serverId, out CollectionId collection, out ItemId item)
    {
        (collection, item) = (default, default);
        var colon = serverId?.IndexOf(':') ?? -1;
        if (colon < 0
            || !long.TryParse(serverId.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var c)
            || !long.TryParse(serverId.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var i))
            return false;
        (collection, item) = (new CollectionId(c), new ItemId(i));
        return true;
    }
}
