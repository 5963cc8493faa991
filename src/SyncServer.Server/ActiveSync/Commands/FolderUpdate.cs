using System.Xml.Linq;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// FolderUpdate (MS-ASCMD 2.2.1.6): renames and/or moves a user mail folder (its ServerId stays, its children move
/// along), as IMAP RENAME does. Status 2 a sibling has the name or the folder is a default one (Inbox, Drafts,
/// Deleted Items, Sent Items, Outbox), 4 no such folder, 5 no such parent (or the folder itself or one below it),
/// 9 not the current hierarchy SyncKey, 10 malformed. Success answers a new hierarchy SyncKey.
/// </summary>
public sealed class FolderUpdate(IStore store, IDeviceStore devices) : IActiveSyncCommand
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.FolderHierarchy;
    private const int Success = 1, ExistsOrSpecial = 2, NotFound = 4, ParentNotFound = 5, InvalidSyncKey = 9, MalformedRequest = 10;

    public string Name => "FolderUpdate";

    public XName Root => Ns + "FolderUpdate";

    public async Task<ActiveSyncResponse> HandleAsync(ActiveSyncRequest request, CancellationToken cancellationToken)
    {
        var body = request.Body;
        var serverId = (string?)body?.Element(Ns + "ServerId");
        var name = (string?)body?.Element(Ns + "DisplayName");
        var parentId = (string?)body?.Element(Ns + "ParentId");
        var (state, malformed) = await HierarchyState.CurrentAsync(devices, request, (string?)body?.Element(Ns + "SyncKey"), cancellationToken);
        if (malformed || serverId is null || parentId is null || !UserFolders.IsValidName(name))
            return Status(MalformedRequest);
        if (state is null)
            return Status(InvalidSyncKey);
        if (serverId == FolderTypes.OutboxServerId)
            return Status(ExistsOrSpecial);
        var collections = await store.ListCollectionsAsync(request.Account.Id, cancellationToken);
        if (UserFolders.Find(collections, serverId) is not { } folder)
            return Status(NotFound);
        if (UserFolders.IsSpecial(folder))
            return Status(ExistsOrSpecial);
        Collection? parent = null;
        if (parentId != UserFolders.Root
            && ((parent = UserFolders.Find(collections, parentId)) is null || UserFolders.Subtree(collections, folder.Id).Contains(parent.Id)))
            return Status(ParentNotFound);
        if (UserFolders.IsTaken(collections, parent?.Id, name!, except: folder.Id))
            return Status(ExistsOrSpecial);

        try
        {
            await using var transaction = await store.BeginAsync(request.Account.Id, cancellationToken);
            await transaction.UpdateCollectionAsync(folder.Id, name!, parent?.Id, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (StoreConflictException)
        {
            return Status(ExistsOrSpecial);
        }
        var syncKey = await HierarchyState.AdvanceAsync(store, devices, state, [folder.Id], cancellationToken);
        return new ActiveSyncResponse(new XElement(Root, new XElement(Ns + "Status", Success), new XElement(Ns + "SyncKey", syncKey)));
    }

    private ActiveSyncResponse Status(int status) => new(new XElement(Root, new XElement(Ns + "Status", status)));
}
