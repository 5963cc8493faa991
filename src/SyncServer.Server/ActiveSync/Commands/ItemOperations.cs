using System.Globalization;
using System.Xml.Linq;
using SyncServer.Core.Changes;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.ActiveSync.Http;
using SyncServer.Protocols.ActiveSync.Wbxml;
using SyncServer.Server.ActiveSync.Mapping;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// ItemOperations (MS-ASCMD 2.2.1.10; client-requirements EAS-IO-01, -02): Fetch of a whole message by
/// CollectionId + ServerId (or a LongId) with its BodyPreference/MIMESupport, Fetch of an attachment by
/// FileReference with an optional byte Range, and EmptyFolderContents (with DeleteSubFolders). Each operation
/// answers with its own Status; Move of a conversation (14.0+) moves its messages; the document library is not
/// served (status 9).
/// With <c>MS-ASAcceptMultiPart: T</c> every Data element becomes a Part reference to a binary part of a multipart
/// answer (EAS-WBXML-05); otherwise attachment Data is base64 text, as the spec types it.
/// </summary>
public sealed class ItemOperations(IStore store, IBlobStore blobs, IDeviceStore devices) : IActiveSyncCommand
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.ItemOperations;
    private static readonly XNamespace AirSync = ActiveSyncNamespaces.AirSync;
    private static readonly XNamespace Base = ActiveSyncNamespaces.AirSyncBase;
    private const int Success = 1, ProtocolError = 2, ObjectNotFound = 6, ByteRangeInvalid = 8, StoreUnknown = 9, InvalidAttachment = 15;

    public string Name => "ItemOperations";

    public XName Root => Ns + "ItemOperations";

    public async Task<ActiveSyncResponse> HandleAsync(ActiveSyncRequest request, CancellationToken cancellationToken)
    {
        var operations = request.Body?.Elements().ToList() ?? [];
        if (operations.Count == 0)
            return new ActiveSyncResponse(new XElement(Root, new XElement(Ns + "Status", ProtocolError)));
        var answers = new List<XElement>();
        foreach (var operation in operations)
        {
            answers.Add(operation.Name.LocalName switch
            {
                "Fetch" when operation.Name.Namespace == Ns => await FetchAsync(request, operation, cancellationToken),
                "EmptyFolderContents" when operation.Name.Namespace == Ns => await EmptyFolderContentsAsync(request.Account.Id, operation, cancellationToken),
                "Move" when operation.Name.Namespace == Ns && request.Version >= ActiveSyncVersion.V14_0 => await MoveAsync(request, operation, cancellationToken),
                _ => new XElement(operation.Name, new XElement(Ns + "Status", ProtocolError)),
            });
        }
        var response = new XElement(Root, new XElement(Ns + "Status", Success), new XElement(Ns + "Response", answers));
        if (request.AcceptMultiPart)
            return new ActiveSyncResponse(response) { Parts = MoveDataToParts(response) };
        foreach (var data in response.Descendants(Ns + "Data").ToList())
            data.ReplaceWith(new XElement(Ns + "Data", Convert.ToBase64String(WbxmlOpaque.GetBytes(data).Span)));
        return new ActiveSyncResponse(response);
    }

    private async Task<XElement> FetchAsync(ActiveSyncRequest request, XElement fetch, CancellationToken cancellationToken)
    {
        var account = request.Account.Id;
        if (!string.Equals((string?)fetch.Element(Ns + "Store"), "Mailbox", StringComparison.OrdinalIgnoreCase))
            return new XElement(Ns + "Fetch", new XElement(Ns + "Status", StoreUnknown));
        var options = fetch.Element(Ns + "Options");
        if ((string?)fetch.Element(Base + "FileReference") is { } fileReference)
            return await FetchAttachmentAsync(account, fileReference, (string?)options?.Element(Ns + "Range"), cancellationToken);

        var longId = (string?)fetch.Element(ActiveSyncNamespaces.Search + "LongId");
        var collectionId = (string?)fetch.Element(AirSync + "CollectionId");
        var serverId = longId ?? (string?)fetch.Element(AirSync + "ServerId");
        if (serverId is null)
            return new XElement(Ns + "Fetch", new XElement(Ns + "Status", ProtocolError));
        var identity = longId is not null
            ? new object[] { new XElement(ActiveSyncNamespaces.Search + "LongId", longId) }
            : [new XElement(AirSync + "CollectionId", collectionId), new XElement(AirSync + "ServerId", serverId)];
        var item = await StoredMessage.FindAsync(store, account, longId is null ? collectionId : null, serverId, cancellationToken);
        if (item is null)
            return new XElement(Ns + "Fetch", new XElement(Ns + "Status", ObjectNotFound), identity);
        return new XElement(Ns + "Fetch", new XElement(Ns + "Status", Success), identity, new XElement(AirSync + "Class", "Email"),
            await EmailContent.ApplicationDataAsync(Ns + "Properties", item, store, blobs, BodyPreferences.FromOptions(options), request.Version, cancellationToken));
    }

    private async Task<XElement> FetchAttachmentAsync(AccountId account, string fileReference, string? range, CancellationToken cancellationToken)
    {
        XElement Answer(int status, params object?[] content)
            => new(Ns + "Fetch", new XElement(Ns + "Status", status), new XElement(Base + "FileReference", fileReference), content);

        if (await MailAttachments.FindAsync(store, blobs, account, fileReference, cancellationToken) is not { } attachment)
            return Answer(InvalidAttachment);
        var bytes = attachment.Content();
        if (range is null)
            return Answer(Success, new XElement(Ns + "Properties", new XElement(Base + "ContentType", attachment.ContentType),
                WbxmlOpaque.Element(Ns + "Data", bytes)));
        if (!TryParseRange(range, bytes.Length, out var first, out var last))
            return Answer(ByteRangeInvalid);
        return Answer(Success, new XElement(Ns + "Properties", new XElement(Base + "ContentType", attachment.ContentType),
            new XElement(Ns + "Range", $"{first}-{last}"), new XElement(Ns + "Total", bytes.Length),
            WbxmlOpaque.Element(Ns + "Data", bytes.AsMemory(first, last - first + 1))));
    }

    /// <summary>
    /// <c>m-n</c>, zero-based and inclusive (MS-ASCMD 2.2.3.143.1); a range past the end is cut at the end. Fails
    /// for a malformed range, m &gt; n, or a start at or past the end of a non-empty attachment.
    /// </summary>
    private static bool TryParseRange(string range, int length, out int first, out int last)
    {
        first = last = 0;
        var dash = range.IndexOf('-');
        if (dash < 0 || !int.TryParse(range.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out first)
            || !int.TryParse(range.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out last) || first > last || first >= length)
            return false;
        last = Math.Min(last, length - 1);
        return true;
    }

    private async Task<XElement> EmptyFolderContentsAsync(AccountId account, XElement empty, CancellationToken cancellationToken)
    {
        var collectionId = (string?)empty.Element(AirSync + "CollectionId");
        XElement Answer(int status) => new(Ns + "EmptyFolderContents", new XElement(Ns + "Status", status), new XElement(AirSync + "CollectionId", collectionId));

        var collections = await store.ListCollectionsAsync(account, cancellationToken);
        if (collections.FirstOrDefault(c => c.Id.Value.ToString(CultureInfo.InvariantCulture) == collectionId && FolderTypes.IsServed(c)) is not { } folder)
            return Answer(ObjectNotFound);
        var items = new List<Item>();
        for (var after = new ImapUid(0); ; after = items[^1].ImapUid)
        {
            var page = await store.ListItemsAsync(folder.Id, after, 1000, cancellationToken);
            items.AddRange(page);
            if (page.Count < 1000)
                break;
        }
        await using var transaction = await store.BeginAsync(account, cancellationToken);
        foreach (var item in items)
            await transaction.DeleteItemAsync(item.Id, cancellationToken);
        if (empty.Element(Ns + "Options")?.Element(Ns + "DeleteSubFolders") is not null)
            foreach (var child in collections.Where(c => c.ParentId == folder.Id))
                await transaction.DeleteCollectionAsync(child.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Answer(Success);
    }

    /// <summary>
    /// Move of a conversation (MS-ASCMD 2.2.3.117.1, 14.0+; client-requirements EAS-IO-02): every message whose
    /// <c>email2:ConversationId</c> (<see cref="EmailConversation"/>, from the headers alone) is the one given moves to
    /// DstFldId, from every mail folder but Sent Items, Deleted Items, Drafts and the destination, as MoveItems moves
    /// (same ServerId item part; the moving device is not told back). MoveAlways (moving future messages too) is not
    /// kept. 2 without a 16-byte ConversationId or without DstFldId, 6 for an unknown destination; a conversation with no
    /// message left to move is a success.
    /// </summary>
    private async Task<XElement> MoveAsync(ActiveSyncRequest request, XElement move, CancellationToken cancellationToken)
    {
        var account = request.Account.Id;
        var conversation = move.Element(Ns + "ConversationId") is { } element ? WbxmlOpaque.GetBytes(element).ToArray() : [];
        XElement Answer(int status) => new(Ns + "Move", new XElement(Ns + "Status", status), WbxmlOpaque.Element(Ns + "ConversationId", conversation));
        var collections = await store.ListCollectionsAsync(account, cancellationToken);
        if (conversation.Length != 16 || (string?)move.Element(Ns + "DstFldId") is not { } dstFldId)
            return Answer(ProtocolError);
        if (UserFolders.Find(collections, dstFldId) is not { } destination)
            return Answer(ObjectNotFound);
        var moved = new Dictionary<CollectionId, List<ModSeq>>();
        var arrived = new List<ModSeq>();
        foreach (var folder in collections.Where(c => FolderTypes.IsServed(c) && c.Id != destination.Id
            && c.Role is not (CollectionRole.Sent or CollectionRole.Trash or CollectionRole.Drafts)))
        {
            var members = new List<Item>();
            for (var after = new ImapUid(0); ; )
            {
                var page = await store.ListItemsAsync(folder.Id, after, 1000, cancellationToken);
                foreach (var item in page)
                    if (EmailConversation.Id(await EmailConversation.HeadersAsync(item, blobs, cancellationToken), item).AsSpan().SequenceEqual(conversation))
                        members.Add(item);
                if (page.Count < 1000)
                    break;
                after = page[^1].ImapUid;
            }
            if (members.Count == 0)
                continue;
            await using (var transaction = await store.BeginAsync(account, cancellationToken))
            {
                foreach (var item in members)
                    arrived.Add((await transaction.MoveItemAsync(item.Id, destination.Id, cancellationToken)).ModSeq);
                await transaction.CommitAsync(cancellationToken);
            }
            var ids = members.Select(m => m.Id).ToHashSet();
            moved[folder.Id] = (await store.GetChangesAsync(folder.Id, folder.HighestModSeq, int.MaxValue, cancellationToken)).Changes
                .Where(c => ids.Contains(c.ItemId) && c.Kind == ItemChangeKind.Deleted).Select(c => c.ModSeq).ToList();
        }
        moved[destination.Id] = arrived;
        foreach (var (collection, modSeqs) in moved)
            await EmailSyncState.AddOwnChangesAsync(devices, account, request.Device.DeviceId, collection, modSeqs, cancellationToken);
        return Answer(Success);
    }

    /// <summary>Replaces every Data element (attachment data and body data) with a Part naming its bytes, numbered from 1.</summary>
    private static List<ReadOnlyMemory<byte>> MoveDataToParts(XElement response)
    {
        var parts = new List<ReadOnlyMemory<byte>>();
        foreach (var data in response.Descendants().Where(e => e.Name == Ns + "Data" || e.Name == Base + "Data").ToList())
        {
            parts.Add(WbxmlOpaque.GetBytes(data));
            data.ReplaceWith(new XElement(Ns + "Part", parts.Count));
        }
        return parts;
    }
}
