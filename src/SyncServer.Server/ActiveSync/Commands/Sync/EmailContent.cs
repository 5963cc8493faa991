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
        await using var content = await ItemContent.OpenAsync(item, blobs, cancellationToken);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        var raw = buffer.ToArray();
        var message = await MimeMessage.LoadAsync(new MemoryStream(raw), cancellationToken);
        return EmailRecord.ApplicationData(name, item, message, raw, preference);
    }
}
