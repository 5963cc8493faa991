using System.Globalization;
using System.Xml.Linq;
using MimeKit;
using SyncServer.Core.Changes;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.ActiveSync.Wbxml;
using SyncServer.Server.ActiveSync.Mapping;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// Sync for the Email class (MS-ASCMD 2.2.1.21). SyncKey 0 primes a state at the mailbox's current modseq; the
/// first GetChanges then walk the mailbox by UID (items created later come from the change log, so none is sent
/// twice), after which each answer is the change log since the state's position, at most WindowSize items, with
/// MoreAvailable. The previous key is answered again from the previous position; an unknown key is status 3. The
/// client's Read/Flag changes and deletes are applied first and not echoed back.
/// </summary>
public sealed class Sync(IStore store, IDeviceStore devices, IBlobStore blobs) : IActiveSyncCommand
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.AirSync;
    private static readonly XNamespace Base = ActiveSyncNamespaces.AirSyncBase;
    private const int Success = 1, InvalidSyncKey = 3, ProtocolError = 4, ObjectNotFound = 8, FolderHierarchyChanged = 12, EmptyRequest = 13;
    private const int DefaultWindowSize = 100, MaxWindowSize = 512;

    public string Name => "Sync";

    public XName Root => Ns + "Sync";

    public async Task<ActiveSyncResponse> HandleAsync(ActiveSyncRequest request, CancellationToken cancellationToken)
    {
        // An empty request repeats the previous one (12.1+); requests are not cached yet, so status 13 tells the
        // client to send the whole request (MS-ASCMD 3.1.5.3).
        if (request.Body?.Element(Ns + "Collections") is not { } collections)
            return new ActiveSyncResponse(new XElement(Root, new XElement(Ns + "Status", EmptyRequest)));
        var windowSize = WindowSize(request.Body.Element(Ns + "WindowSize"), DefaultWindowSize);
        var answers = new List<XElement>();
        foreach (var collection in collections.Elements(Ns + "Collection"))
            answers.Add(await SyncCollectionAsync(request, collection, windowSize, cancellationToken));
        return new ActiveSyncResponse(new XElement(Root, new XElement(Ns + "Collections", answers)));
    }

    private async Task<XElement> SyncCollectionAsync(ActiveSyncRequest request, XElement asked, int defaultWindow, CancellationToken cancellationToken)
    {
        var syncKey = (string?)asked.Element(Ns + "SyncKey");
        var collectionId = (string?)asked.Element(Ns + "CollectionId") ?? "";
        XElement Answer(int status, string? key = null, params object?[] content)
            => new(Ns + "Collection", key is null ? null : new XElement(Ns + "SyncKey", key), new XElement(Ns + "CollectionId", collectionId),
                new XElement(Ns + "Status", status), content);

        if (!long.TryParse(syncKey, NumberStyles.None, CultureInfo.InvariantCulture, out var key))
            return Answer(ProtocolError);
        var collection = long.TryParse(collectionId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await store.GetCollectionAsync(new CollectionId(id), cancellationToken)
            : null;
        if (collection is null || collection.AccountId != request.Account.Id || !FolderTypes.IsServed(collection))
            return Answer(FolderHierarchyChanged);

        var account = request.Account.Id;
        var deviceId = request.Device.DeviceId;
        var state = await devices.GetSyncStateAsync(account, deviceId, collectionId, cancellationToken);
        if (key == 0)
        {
            var primed = new SyncState(account, deviceId, collectionId, (state?.SyncKey ?? 0) + 1, collection.HighestModSeq, collection.HighestModSeq,
                new MailboxWalk(0, 0).Write());
            await devices.SaveSyncStateAsync(primed, cancellationToken);
            return Answer(Success, primed.SyncKey.ToString(CultureInfo.InvariantCulture));
        }
        if (state is null || (key != state.SyncKey && key != state.SyncKey - 1))
            return Answer(InvalidSyncKey, "0");

        var isRepeat = key == state.SyncKey - 1;
        var walk = MailboxWalk.Read(state.Data);
        var (position, afterUid) = isRepeat ? (state.PreviousModSeq, walk?.PreviousAfterUid) : (state.ModSeq, walk?.AfterUid);

        var (responses, ownChanges) = await ApplyClientCommandsAsync(request, collection, asked.Element(Ns + "Commands"), PreferenceOf(asked), cancellationToken);
        var getChanges = asked.Element(Ns + "GetChanges") is not { } flag || (string?)flag != "0";
        if (!getChanges)
            return Answer(Success, state.SyncKey.ToString(CultureInfo.InvariantCulture), Responses(responses));

        var window = WindowSize(asked.Element(Ns + "WindowSize"), defaultWindow);
        var preference = PreferenceOf(asked);
        var commands = new List<XElement>();
        bool moreAvailable;
        ModSeq nextPosition = position;
        uint? nextAfterUid = null;
        if (afterUid is { } after)
        {
            var items = await store.ListItemsAsync(collection.Id, new ImapUid(after), window + 1, cancellationToken);
            moreAvailable = items.Count > window;
            foreach (var item in items.Take(window).Where(i => i.CreatedModSeq <= position))
                commands.Add(await AddAsync(collection, item, preference, cancellationToken));
            nextAfterUid = moreAvailable ? items[window - 1].ImapUid.Value : null;
        }
        else
        {
            var changes = await store.GetChangesAsync(collection.Id, position, window, cancellationToken);
            if (changes.IsTruncated)
                return Answer(InvalidSyncKey, "0");
            moreAvailable = changes.HasMore;
            foreach (var change in changes.Changes.Where(c => !ownChanges.Contains(c.ModSeq)))
                commands.Add(change.Kind == ItemChangeKind.Deleted || change.Item is null
                    ? new XElement(Ns + "Delete", new XElement(Ns + "ServerId", ServerId(collection, change.ItemId)))
                    : change.Kind == ItemChangeKind.Created
                        ? await AddAsync(collection, change.Item, preference, cancellationToken)
                        : Change(collection, change.Item));
            if (changes.Changes.Count > 0)
                nextPosition = changes.NextModSeq;
        }

        var answerKey = state.SyncKey;
        if (!isRepeat && (commands.Count > 0 || nextAfterUid != afterUid || nextPosition != position || ownChanges.Count > 0))
        {
            answerKey = state.SyncKey + 1;
            await devices.SaveSyncStateAsync(new SyncState(account, deviceId, collectionId, answerKey,
                ownChanges.Count > 0 ? Max(nextPosition, ownChanges.Max()) : nextPosition, position,
                nextAfterUid is null && afterUid is null ? null : new MailboxWalk(nextAfterUid, afterUid).Write()), cancellationToken);
        }
        return Answer(Success, answerKey.ToString(CultureInfo.InvariantCulture),
            moreAvailable ? new XElement(Ns + "MoreAvailable") : null,
            commands.Count > 0 ? new XElement(Ns + "Commands", commands) : null,
            Responses(responses));
    }

    /// <summary>Read/Flag changes, deletes (to Trash unless DeletesAsMoves is 0) and fetches from the client.</summary>
    private async Task<(List<XElement> Responses, HashSet<ModSeq> OwnChanges)> ApplyClientCommandsAsync(
        ActiveSyncRequest request, Collection collection, XElement? commands, BodyPreference preference, CancellationToken cancellationToken)
    {
        var responses = new List<XElement>();
        var own = new HashSet<ModSeq>();
        if (commands is null)
            return (responses, own);
        var deletesAsMoves = (string?)commands.Parent!.Element(Ns + "DeletesAsMoves") != "0";
        var trash = deletesAsMoves
            ? (await store.ListCollectionsAsync(request.Account.Id, cancellationToken)).FirstOrDefault(c => c.Role == CollectionRole.Trash && c.Id != collection.Id)
            : null;
        foreach (var command in commands.Elements())
        {
            var serverId = (string?)command.Element(Ns + "ServerId") ?? "";
            var item = await FindAsync(collection, serverId, cancellationToken);
            if (command.Name == Ns + "Fetch")
            {
                responses.Add(item is null
                    ? new XElement(Ns + "Fetch", new XElement(Ns + "ServerId", serverId), new XElement(Ns + "Status", ObjectNotFound))
                    : new XElement(Ns + "Fetch", new XElement(Ns + "ServerId", serverId), new XElement(Ns + "Status", Success),
                        await ApplicationDataAsync(item, preference with { TruncationSize = null }, cancellationToken)));
                continue;
            }
            if (item is null)
            {
                responses.Add(new XElement(command.Name, new XElement(Ns + "ServerId", serverId), new XElement(Ns + "Status", ObjectNotFound)));
                continue;
            }
            await using var transaction = await store.BeginAsync(request.Account.Id, cancellationToken);
            if (command.Name == Ns + "Change" && command.Element(Ns + "ApplicationData") is { } data && item.Mail is { } mail)
                own.Add((await transaction.UpdateItemAsync(item.Id, new ItemUpdate(Mail: mail with { Flags = EmailRecord.ApplyChange(mail.Flags, data) }), cancellationToken)).ModSeq);
            else if (command.Name == Ns + "Delete" && trash is not null)
                own.Add((await transaction.MoveItemAsync(item.Id, trash.Id, cancellationToken)).ModSeq);
            else if (command.Name == Ns + "Delete")
                await transaction.DeleteItemAsync(item.Id, cancellationToken);
            else
            {
                responses.Add(new XElement(command.Name, new XElement(Ns + "ServerId", serverId), new XElement(Ns + "Status", ProtocolError)));
                continue;
            }
            await transaction.CommitAsync(cancellationToken);
            if (command.Name == Ns + "Delete")
                own.UnionWith((await store.GetChangesAsync(collection.Id, item.ModSeq, int.MaxValue, cancellationToken)).Changes
                    .Where(c => c.ItemId == item.Id && c.Kind == ItemChangeKind.Deleted).Select(c => c.ModSeq));
        }
        return (responses, own);
    }

    private async Task<Item?> FindAsync(Collection collection, string serverId, CancellationToken cancellationToken)
    {
        var colon = serverId.IndexOf(':');
        if (colon < 0 || serverId[..colon] != collection.Id.Value.ToString(CultureInfo.InvariantCulture)
            || !long.TryParse(serverId.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return null;
        var item = await store.GetItemAsync(new ItemId(id), cancellationToken);
        return item?.CollectionId == collection.Id ? item : null;
    }

    private async Task<XElement> AddAsync(Collection collection, Item item, BodyPreference preference, CancellationToken cancellationToken)
        => new(Ns + "Add", new XElement(Ns + "ServerId", ServerId(collection, item.Id)), await ApplicationDataAsync(item, preference, cancellationToken));

    /// <summary>A server-side change of a message is a change of its flags: the content of a message never changes.</summary>
    private static XElement Change(Collection collection, Item item)
        => new(Ns + "Change", new XElement(Ns + "ServerId", ServerId(collection, item.Id)), new XElement(Ns + "ApplicationData",
            new XElement(ActiveSyncNamespaces.Email + "Read", item.Mail?.Flags.HasFlag(MailFlags.Seen) == true ? 1 : 0),
            new XElement(ActiveSyncNamespaces.Email + "Flag",
                item.Mail?.Flags.HasFlag(MailFlags.Flagged) == true ? new XElement(ActiveSyncNamespaces.Email + "Status", 2) : null)));

    private async Task<XElement> ApplicationDataAsync(Item item, BodyPreference preference, CancellationToken cancellationToken)
    {
        await using var content = await ItemContent.OpenAsync(item, blobs, cancellationToken);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        var raw = buffer.ToArray();
        var message = await MimeMessage.LoadAsync(new MemoryStream(raw), cancellationToken);
        return EmailRecord.ApplicationData(Ns + "ApplicationData", item, message, raw, preference);
    }

    private static BodyPreference PreferenceOf(XElement collection)
    {
        var options = collection.Element(Ns + "Options");
        if ((string?)options?.Element(Ns + "MIMESupport") == "2")
            return new BodyPreference(BodyPreference.Mime, null);
        var preferences = options?.Elements(Base + "BodyPreference").ToList() ?? [];
        var chosen = preferences.FirstOrDefault(p => (string?)p.Element(Base + "Type") == "2") ?? preferences.FirstOrDefault();
        if (chosen is null)
            return BodyPreference.Default;
        var type = int.TryParse((string?)chosen.Element(Base + "Type"), CultureInfo.InvariantCulture, out var t) && t is 1 or 2 or 4 ? t : BodyPreference.PlainText;
        var truncation = long.TryParse((string?)chosen.Element(Base + "TruncationSize"), CultureInfo.InvariantCulture, out var size) && size >= 0 ? size : (long?)null;
        return new BodyPreference(type, truncation);
    }

    private static int WindowSize(XElement? element, int fallback)
        => int.TryParse((string?)element, CultureInfo.InvariantCulture, out var size) && size > 0 ? Math.Min(size, MaxWindowSize) : fallback;

    private static string ServerId(Collection collection, ItemId item) => $"{collection.Id.Value}:{item.Value}";

    private static XElement? Responses(List<XElement> responses) => responses.Count > 0 ? new XElement(Ns + "Responses", responses) : null;

    private static ModSeq Max(ModSeq a, ModSeq b) => a.Value >= b.Value ? a : b;
}
