using System.Globalization;
using System.Xml.Linq;
using SyncServer.Core.Changes;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// GetItemEstimate (MS-ASCMD 2.2.1.9; client-requirements EAS-GIE-01): how many items the next Sync of each folder
/// would send, without moving its SyncKey. Status 2 for an unknown folder, 3 before the folder's first Sync
/// (SyncKey 0), 4 for a key that is neither the current nor the previous one.
/// </summary>
public sealed class GetItemEstimate(IStore store, IDeviceStore devices) : IActiveSyncCommand
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.GetItemEstimate;
    private static readonly XNamespace AirSync = ActiveSyncNamespaces.AirSync;
    private const int Success = 1, InvalidCollection = 2, NotPrimed = 3, InvalidSyncKey = 4;

    public string Name => "GetItemEstimate";

    public XName Root => Ns + "GetItemEstimate";

    public async Task<ActiveSyncResponse> HandleAsync(ActiveSyncRequest request, CancellationToken cancellationToken)
    {
        var responses = new List<XElement>();
        foreach (var asked in request.Body?.Element(Ns + "Collections")?.Elements(Ns + "Collection") ?? [])
        {
            var collectionId = (string?)asked.Element(Ns + "CollectionId") ?? "";
            var (status, estimate) = await EstimateAsync(request, collectionId, (string?)asked.Element(AirSync + "SyncKey"), cancellationToken);
            responses.Add(new XElement(Ns + "Response", new XElement(Ns + "Status", status),
                new XElement(Ns + "Collection", new XElement(Ns + "CollectionId", collectionId),
                    estimate is { } count ? new XElement(Ns + "Estimate", count) : null)));
        }
        return new ActiveSyncResponse(new XElement(Root, responses));
    }

    private async Task<(int Status, int? Estimate)> EstimateAsync(ActiveSyncRequest request, string collectionId, string? syncKey,
        CancellationToken cancellationToken)
    {
        var collection = long.TryParse(collectionId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await store.GetCollectionAsync(new CollectionId(id), cancellationToken)
            : null;
        if (collection is null || collection.AccountId != request.Account.Id || !FolderTypes.IsServed(collection))
            return (InvalidCollection, null);
        if (syncKey is null or "0")
            return (NotPrimed, null);
        var state = await devices.GetSyncStateAsync(request.Account.Id, request.Device.DeviceId, collectionId, cancellationToken);
        if (state is null || !long.TryParse(syncKey, NumberStyles.None, CultureInfo.InvariantCulture, out var key)
            || (key != state.SyncKey && key != state.SyncKey - 1))
            return (InvalidSyncKey, null);
        if (EmailSyncState.Read(state.Data)?.Walk?.AfterUid is { } after)
        {
            // Still walking the mailbox: what is left of the walk (items made later come from the change log too).
            var left = await store.ListItemsAsync(collection.Id, new ImapUid(after), int.MaxValue, cancellationToken);
            var changedSince = await store.GetChangesAsync(collection.Id, state.ModSeq, int.MaxValue, cancellationToken);
            return (Success, left.Count(i => i.CreatedModSeq <= state.ModSeq) + changedSince.Changes.Count(c => c.Kind == ItemChangeKind.Created));
        }
        var changes = await store.GetChangesAsync(collection.Id, state.ModSeq, int.MaxValue, cancellationToken);
        return changes.IsTruncated ? (InvalidSyncKey, null) : (Success, changes.Changes.Count);
    }
}
