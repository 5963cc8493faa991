using System.Xml.Linq;
using SyncServer.Core.Store;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// FolderDelete (MS-ASCMD 2.2.1.4): deletes a user mail folder with its messages and the folders below it (as
/// Exchange does; IMAP DELETE, by contrast, refuses a mailbox with children). Status 3 a default folder, 4 no such
/// folder, 9 not the current hierarchy SyncKey, 10 malformed. Success answers a new hierarchy SyncKey.
/// </summary>
public sealed class FolderDelete(IStore store, IDeviceStore devices) : IActiveSyncCommand
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.FolderHierarchy;
    private const int Success = 1, Special = 3, NotFound = 4, InvalidSyncKey = 9, MalformedRequest = 10;

    public string Name => "FolderDelete";

    public XName Root => Ns + "FolderDelete";

    public async Task<ActiveSyncResponse> HandleAsync(ActiveSyncRequest request, CancellationToken cancellationToken)
    {
        var serverId = (string?)request.Body?.Element(Ns + "ServerId");
        var (state, malformed) = await HierarchyState.CurrentAsync(devices, request, (string?)request.Body?.Element(Ns + "SyncKey"), cancellationToken);
        if (malformed || serverId is null)
            return Status(MalformedRequest);
        if (state is null)
            return Status(InvalidSyncKey);
        if (serverId == FolderTypes.OutboxServerId)
            return Status(Special);
        var collections = await store.ListCollectionsAsync(request.Account.Id, cancellationToken);
        if (UserFolders.Find(collections, serverId) is not { } folder)
            return Status(NotFound);
        if (UserFolders.IsSpecial(folder))
            return Status(Special);

        await using (var transaction = await store.BeginAsync(request.Account.Id, cancellationToken))
        {
            await transaction.DeleteCollectionAsync(folder.Id, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        var syncKey = await HierarchyState.AdvanceAsync(store, devices, state, UserFolders.Subtree(collections, folder.Id), cancellationToken);
        return new ActiveSyncResponse(new XElement(Root, new XElement(Ns + "Status", Success), new XElement(Ns + "SyncKey", syncKey)));
    }

    private ActiveSyncResponse Status(int status) => new(new XElement(Root, new XElement(Ns + "Status", status)));
}
