using System.Xml.Linq;
using MimeKit;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Server.ActiveSync.Mapping;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>An item's stored bytes as Email ApplicationData (server Adds and client Fetches).</summary>
public static class EmailContent
{
    public static async Task<XElement> ApplicationDataAsync(XName name, Item item, IBlobStore blobs, BodyPreference preference,
        CancellationToken cancellationToken)
    {
        var stored = await StoredMessage.LoadAsync(item, blobs, cancellationToken);
        return EmailRecord.ApplicationData(name, item, stored.Message, stored.Raw, preference);
    }
}
