using System.Xml.Linq;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// FolderCreate (MS-ASCMD 2.2.1.3; client-requirements EAS-FS-03): a user mail folder (type 12, or the generic 1) is
/// a new mailbox collection, the same IMAP lists. Status 2 a sibling has the name, 3 the parent is the Outbox, 5 no
/// such parent, 9 not the device's current hierarchy SyncKey, 10 a malformed request (also a folder type other than
/// mail: calendars, contacts and tasks are not served yet). Success answers a new hierarchy SyncKey and the ServerId.
/// </summary>
public sealed class FolderCreate(IStore store, IDeviceStore devices) : IActiveSyncCommand
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.FolderHierarchy;
    private const int Success = 1, Exists = 2, SpecialParent = 3, ParentNotFound = 5, InvalidSyncKey = 9, MalformedRequest = 10;

    public string Name => "FolderCreate";

    public XName Root => Ns + "FolderCreate";

    public async Task<ActiveSyncResponse> HandleAsync(ActiveSyncRequest request, CancellationToken cancellationToken)
    {
        var body = request.Body;
        var name = (string?)body?.Element(Ns + "DisplayName");
        var parentId = (string?)body?.Element(Ns + "ParentId");
        var (state, malformed) = await HierarchyState.CurrentAsync(devices, request, (string?)body?.Element(Ns + "SyncKey"), cancellationToken);
        if (malformed || parentId is null || !UserFolders.IsValidName(name) || (string?)body!.Element(Ns + "Type") is not ("12" or "1"))
            return Status(MalformedRequest);
        if (state is null)
            return Status(InvalidSyncKey);
        if (parentId == FolderTypes.OutboxServerId)
            return Status(SpecialParent);
        var collections = await store.ListCollectionsAsync(request.Account.Id, cancellationToken);
        Collection? parent = null;
        if (parentId != UserFolders.Root && (parent = UserFolders.Find(collections, parentId)) is null)
            return Status(ParentNotFound);
        if (UserFolders.IsTaken(collections, parent?.Id, name!))
            return Status(Exists);

        Collection created;
        try
        {
            await using var transaction = await store.BeginAsync(request.Account.Id, cancellationToken);
            created = await transaction.CreateCollectionAsync(new NewCollection(name!, CollectionKind.Mailbox, CollectionRole.None, parent?.Id), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (StoreConflictException)
        {
            return Status(Exists); // made by another client in between
        }
        var syncKey = await HierarchyState.AdvanceAsync(store, devices, state, [created.Id], cancellationToken);
        return new ActiveSyncResponse(new XElement(Root,
            new XElement(Ns + "Status", Success),
            new XElement(Ns + "SyncKey", syncKey),
            new XElement(Ns + "ServerId", created.Id.Value)));
    }

    private ActiveSyncResponse Status(int status) => new(new XElement(Root, new XElement(Ns + "Status", status)));
}
