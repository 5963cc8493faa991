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
        if (!ItemServerId.TryParse(serverId, out var collection, out var id)
            || (collectionId is not null && collectionId != collection.Value.ToString(CultureInfo.InvariantCulture)))
            return null;
        var item = await store.GetItemAsync(id, cancellationToken);
        if (item is null || item.AccountId != account || item.CollectionId != collection || item.Mail is null)
            return null;
        return await store.GetCollectionAsync(collection, cancellationToken) is { } folder && FolderTypes.IsServed(folder) ? item : null;
    }
}
