using System.Xml.Linq;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.ActiveSync.Http;
using SyncServer.Server.ActiveSync.Mapping;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>An item's stored bytes and ActiveSync state as Email ApplicationData (server Adds, client Fetches, Search, ItemOperations).</summary>
public static class EmailContent
{
    public static async Task<XElement> ApplicationDataAsync(XName name, Item item, IStore store, IBlobStore blobs, BodyPreference preference,
        ActiveSyncVersion version, CancellationToken cancellationToken)
    {
        var stored = await StoredMessage.LoadAsync(item, blobs, cancellationToken);
        return EmailRecord.ApplicationData(name, stored, await EmailItemState.LoadAsync(store, item, cancellationToken), preference, version);
    }
}
