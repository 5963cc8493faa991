using System.Globalization;
using SyncServer.Core.Model;

namespace SyncServer.Server.ActiveSync.Mapping;

/// <summary>An item's ServerId on the wire: <c>collection:item</c> (the store's ids, so a move keeps the item part).</summary>
public static class ItemServerId
{
    public static string Format(CollectionId collection, ItemId item)
        => string.Create(CultureInfo.InvariantCulture, $"{collection.Value}:{item.Value}");

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
