using System.Globalization;
using System.Xml.Linq;
using SyncServer.Core.Changes;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// FolderSync (MS-ASCMD 2.2.1.5): SyncKey 0 lists the whole hierarchy, a later key the collections created,
/// renamed/moved or deleted since, read from the store's change log. ServerIds are collection ids, so a SyncKey 0
/// from a known device (Gmail does it on pull-to-refresh, EAS-FS-04) gets the same ids and no item state is lost.
/// The previous key is answered again from the previous position (a client that lost the last answer); any other
/// key, or a position the pruned log no longer reaches, is status 9 and the client starts over at 0. Changes the
/// device made itself with FolderCreate/Update/Delete (<see cref="HierarchyState"/>) are not reported back.
/// </summary>
public sealed class FolderSync(IStore store, IDirectoryStore directory, IDeviceStore devices) : IActiveSyncCommand
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.FolderHierarchy;
    private const int Success = 1, InvalidSyncKey = 9, MalformedRequest = 10;

    public string Name => "FolderSync";

    public XName Root => Ns + "FolderSync";

    public async Task<ActiveSyncResponse> HandleAsync(ActiveSyncRequest request, CancellationToken cancellationToken)
    {
        if (!long.TryParse((string?)request.Body?.Element(Ns + "SyncKey"), NumberStyles.None, CultureInfo.InvariantCulture, out var key))
            return Status(MalformedRequest);
        var account = request.Account.Id;
        var deviceId = request.Device.DeviceId;
        var state = await devices.GetSyncStateAsync(account, deviceId, SyncState.Hierarchy, cancellationToken);

        if (key == 0)
        {
            // The position is read before the listing: a folder made in between is reported again next time
            // (harmless, same ServerId) rather than never.
            var position = (await directory.GetAccountAsync(account, cancellationToken))!.ModSeq;
            var collections = await store.ListCollectionsAsync(account, cancellationToken);
            var next = new SyncState(account, deviceId, SyncState.Hierarchy, (state?.SyncKey ?? 0) + 1, position, position);
            await devices.SaveSyncStateAsync(next, cancellationToken);
            return Answer(next.SyncKey, [Outbox(), .. collections.Where(FolderTypes.IsServed).Select(c => Folder("Add", c))]);
        }
        if (state is null || (key != state.SyncKey && key != state.SyncKey - 1))
            return Status(InvalidSyncKey);

        var isRepeat = key == state.SyncKey - 1;
        var since = isRepeat ? state.PreviousModSeq : state.ModSeq;
        var changes = await store.GetHierarchyChangesAsync(account, since, int.MaxValue, cancellationToken);
        if (changes.IsTruncated)
            return Status(InvalidSyncKey);
        // The device's own FolderCreate/Update/Delete are not sent back to it.
        var own = HierarchyState.Read(state.Data);
        var entries = changes.Changes.Where(c => !own.IsKnown(c)).Select(c => Entry(c, own)).OfType<XElement>().ToList();
        if (isRepeat || entries.Count == 0)
            return Answer(state.SyncKey, entries);

        var advanced = new SyncState(account, deviceId, SyncState.Hierarchy, state.SyncKey + 1, changes.NextModSeq, state.ModSeq,
            own.After(state.ModSeq).Write());
        await devices.SaveSyncStateAsync(advanced, cancellationToken);
        return Answer(advanced.SyncKey, entries);
    }

    private static XElement? Entry(CollectionChange change, HierarchyState own) => change switch
    {
        { Kind: CollectionChangeKind.Deleted } => new XElement(Ns + "Delete", new XElement(Ns + "ServerId", change.CollectionId.Value)),
        { Collection: { } c } when FolderTypes.IsServed(c) => Folder(change.Kind == CollectionChangeKind.Created && !own.Has(c.Id) ? "Add" : "Update", c),
        _ => null,
    };

    private static XElement Folder(string verb, Collection collection)
        => new(Ns + verb,
            new XElement(Ns + "ServerId", collection.Id.Value),
            new XElement(Ns + "ParentId", collection.ParentId?.Value.ToString(CultureInfo.InvariantCulture) ?? "0"),
            new XElement(Ns + "DisplayName", collection.Name),
            new XElement(Ns + "Type", FolderTypes.Of(collection)));

    private static XElement Outbox()
        => new(Ns + "Add",
            new XElement(Ns + "ServerId", FolderTypes.OutboxServerId),
            new XElement(Ns + "ParentId", "0"),
            new XElement(Ns + "DisplayName", "Outbox"),
            new XElement(Ns + "Type", FolderTypes.Outbox));

    private ActiveSyncResponse Answer(long syncKey, IReadOnlyList<XElement> entries)
        => new(new XElement(Root,
            new XElement(Ns + "Status", Success),
            new XElement(Ns + "SyncKey", syncKey),
            new XElement(Ns + "Changes", new XElement(Ns + "Count", entries.Count), entries)));

    private ActiveSyncResponse Status(int status) => new(new XElement(Root, new XElement(Ns + "Status", status)));
}
