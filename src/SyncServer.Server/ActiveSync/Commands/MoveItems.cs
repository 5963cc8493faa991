using System.Xml.Linq;
using SyncServer.Core.Changes;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.ActiveSync.Wbxml;
using SyncServer.Server.ActiveSync.Mapping;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// MoveItems (MS-ASCMD 2.2.1.12; client-requirements EAS-MV-01): each Move is a store move within the account, as IMAP
/// MOVE does: the item keeps its identity, so DstMsgId is the destination folder with the same item part. The moving
/// device's next Sync of the two folders does not report the move back (EAS-MV-01: iOS and Outlook would show a
/// duplicate); other devices get a Delete and an Add (2.2.1.12). Per move: 1 unknown source folder or the item is
/// not in it, 2 unknown destination (or the Outbox), 3 success, 4 source and destination are the same folder.
/// </summary>
public sealed class MoveItems(IStore store, IDeviceStore devices) : IActiveSyncCommand
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.Move;
    private const int InvalidSource = 1, InvalidDestination = 2, Success = 3, SameFolder = 4;

    public string Name => "MoveItems";

    public XName Root => Ns + "MoveItems";

    public async Task<ActiveSyncResponse> HandleAsync(ActiveSyncRequest request, CancellationToken cancellationToken)
    {
        var collections = await store.ListCollectionsAsync(request.Account.Id, cancellationToken);
        var responses = new List<XElement>();
        foreach (var move in request.Body?.Elements(Ns + "Move") ?? [])
        {
            var srcMsgId = (string?)move.Element(Ns + "SrcMsgId") ?? "";
            var (status, dstMsgId) = await MoveAsync(request.Account.Id, request.Device.DeviceId, collections, srcMsgId,
                (string?)move.Element(Ns + "SrcFldId"), (string?)move.Element(Ns + "DstFldId"), cancellationToken);
            responses.Add(new XElement(Ns + "Response",
                new XElement(Ns + "SrcMsgId", srcMsgId),
                new XElement(Ns + "Status", status),
                dstMsgId is null ? null : new XElement(Ns + "DstMsgId", dstMsgId)));
        }
        return new ActiveSyncResponse(new XElement(Root, responses));
    }

    private async Task<(int Status, string? DstMsgId)> MoveAsync(AccountId account, string deviceId, IReadOnlyList<Collection> collections,
        string srcMsgId, string? srcFldId, string? dstFldId, CancellationToken cancellationToken)
    {
        if (UserFolders.Find(collections, srcFldId) is not { } source
            || !ItemServerId.TryParse(srcMsgId, out var collectionPart, out var itemId) || collectionPart != source.Id
            || await store.GetItemAsync(itemId, cancellationToken) is not { } item || item.CollectionId != source.Id)
            return (InvalidSource, null);
        if (UserFolders.Find(collections, dstFldId) is not { } destination)
            return (InvalidDestination, null);
        if (destination.Id == source.Id)
            return (SameFolder, null);
        Item moved;
        try
        {
            await using var transaction = await store.BeginAsync(account, cancellationToken);
            moved = await transaction.MoveItemAsync(item.Id, destination.Id, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (StoreNotFoundException)
        {
            return (InvalidSource, null); // moved or deleted by another client in between
        }
        // The move is two changes: the tombstone it left in the source (read back from the log) and the item in the destination.
        var left = (await store.GetChangesAsync(source.Id, source.HighestModSeq, int.MaxValue, cancellationToken)).Changes
            .Where(c => c.ItemId == item.Id && c.Kind == ItemChangeKind.Deleted).Select(c => c.ModSeq);
        await EmailSyncState.AddOwnChangesAsync(devices, account, deviceId, source.Id, left, cancellationToken);
        await EmailSyncState.AddOwnChangesAsync(devices, account, deviceId, destination.Id, [moved.ModSeq], cancellationToken);
        return (Success, ItemServerId.Format(destination.Id, item.Id));
    }
}
