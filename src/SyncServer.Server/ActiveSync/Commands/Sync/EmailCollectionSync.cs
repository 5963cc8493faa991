using System.Globalization;
using System.Xml.Linq;
using SyncServer.Core.Changes;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.ActiveSync.Wbxml;
using SyncServer.Server.ActiveSync.Mapping;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// One Email collection of a Sync (MS-ASCMD 2.2.1.21). SyncKey 0 primes a state at the mailbox's modseq; the first
/// GetChanges walk the mailbox by UID (<see cref="MailboxWalk"/>; items created later come from the change log, so
/// none is sent twice), then each answer is the change log since the state's position, at most WindowSize items, with
/// MoreAvailable. The previous key rewinds to the previous position and is answered again (the client's own changes
/// and the ClientIds of its Adds carried over); an unknown key is status 3. A new FilterType starts a walk that adds
/// what the wider window brings and SoftDeletes what the narrower one leaves out.
/// </summary>
public sealed class EmailCollectionSync(IStore store, IDeviceStore devices, IBlobStore blobs, TimeProvider time)
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.AirSync;
    private const int Success = 1, InvalidSyncKey = 3, ProtocolError = 4, FolderHierarchyChanged = 12;
    private readonly EmailClientCommands _clientCommands = new(store, blobs, time);

    /// <summary>A collection's answer; <see cref="HasNews"/> is false when it says nothing the client does not know (key unchanged).</summary>
    public sealed record Answer(XElement Element, bool HasNews);

    /// <summary>The collection's id as a store collection of the account, served over ActiveSync; null otherwise.</summary>
    public async Task<Collection?> FindAsync(ActiveSyncRequest request, string collectionId, CancellationToken cancellationToken)
    {
        var collection = long.TryParse(collectionId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await store.GetCollectionAsync(new CollectionId(id), cancellationToken)
            : null;
        return collection is not null && collection.AccountId == request.Account.Id && FolderTypes.IsServed(collection) ? collection : null;
    }

    public async Task<Answer> SyncAsync(ActiveSyncRequest request, SyncCollectionRequest asked, int window, CancellationToken cancellationToken)
    {
        var collectionId = asked.CollectionId;
        Answer Reply(int status, long? key, bool news, params object?[] content)
            => new(new XElement(Ns + "Collection", key is null ? null : new XElement(Ns + "SyncKey", key.Value.ToString(CultureInfo.InvariantCulture)),
                new XElement(Ns + "CollectionId", collectionId), new XElement(Ns + "Status", status), content), news || status != Success);

        if (await FindAsync(request, collectionId, cancellationToken) is not { } collection)
            return Reply(FolderHierarchyChanged, null, true);
        var account = request.Account.Id;
        var deviceId = request.Device.DeviceId;
        var state = await devices.GetSyncStateAsync(account, deviceId, collectionId, cancellationToken);
        long key;
        if (asked.SyncKey is null)
            key = state?.SyncKey ?? -1;
        else if (!long.TryParse(asked.SyncKey, NumberStyles.None, CultureInfo.InvariantCulture, out key))
            return Reply(ProtocolError, null, true);
        var options = asked.Options ?? SyncOptions.Default;

        if (key == 0)
        {
            var since = SinceOf(options.FilterType);
            var primed = new SyncState(account, deviceId, collectionId, (state?.SyncKey ?? 0) + 1, collection.HighestModSeq, collection.HighestModSeq,
                EmailSyncState.Primed(options.FilterType, since).Write());
            await devices.SaveSyncStateAsync(primed, cancellationToken);
            return Reply(Success, primed.SyncKey, true);
        }
        if (state is null || (key != state.SyncKey && key != state.SyncKey - 1) || EmailSyncState.Read(state.Data) is not { } data)
            return Reply(InvalidSyncKey, 0, true);

        // A resent previous key starts again from where that key stood (EAS-SYNC-02).
        var isRepeat = key == state.SyncKey - 1;
        var (position, walk, filterType, heldSince) = isRepeat
            ? (state.PreviousModSeq, data.PreviousWalk, data.PreviousFilterType, data.PreviousSince)
            : (state.ModSeq, data.Walk, data.FilterType, data.Since);
        var clientIds = isRepeat ? new Dictionary<string, long>(data.ClientIds) : [];
        var own = data.OwnChanges.ToHashSet();

        var client = await _clientCommands.ApplyAsync(request, collection, asked, options.Body, clientIds, cancellationToken);
        own.UnionWith(client.OwnChanges.Select(m => m.Value));

        if (options.FilterType != filterType)
        {
            var (heldUpTo, since) = walk?.HeldAfterwards ?? (null, heldSince);
            (filterType, heldSince) = (options.FilterType, SinceOf(options.FilterType));
            walk = new MailboxWalk(0, heldUpTo, since, heldSince);
        }

        var commands = new List<XElement>();
        var more = false;
        var nextPosition = position;
        var nextWalk = walk;
        if (asked.GetChanges && window > 0)
        {
            if (walk is not null)
                (nextWalk, more) = await WalkAsync(request, collection, walk, position, window, options.Body, commands, cancellationToken);
            if (nextWalk is null && commands.Count == window)
                more = collection.HighestModSeq.Value > position.Value;
            else if (nextWalk is null)
            {
                // The change log since the position, in the room the walk (if it just ended) left.
                var changes = await store.GetChangesAsync(collection.Id, position, window - commands.Count, cancellationToken);
                if (changes.IsTruncated)
                    return Reply(InvalidSyncKey, 0, true);
                await ChangesAsync(request, collection, changes, own, heldSince, options.Body, commands, cancellationToken);
                more = changes.HasMore;
                if (changes.Changes.Count > 0)
                    nextPosition = changes.NextModSeq;
            }
        }
        else if (asked.GetChanges)
            more = true;

        var next = new EmailSyncState(nextWalk, filterType, heldSince,
            isRepeat ? data.PreviousWalk : data.Walk, isRepeat ? data.PreviousFilterType : data.FilterType, isRepeat ? data.PreviousSince : data.Since,
            clientIds, [.. own.Where(m => m > position.Value).Order()]);
        var moved = isRepeat || commands.Count > 0 || nextWalk != walk || walk != data.Walk || filterType != data.FilterType
            || nextPosition != position || client.OwnChanges.Count > 0 || clientIds.Count > 0;
        var answerKey = state.SyncKey;
        if (moved)
        {
            answerKey = isRepeat ? state.SyncKey : state.SyncKey + 1;
            await devices.SaveSyncStateAsync(new SyncState(account, deviceId, collectionId, answerKey, nextPosition, position, next.Write()), cancellationToken);
        }
        return Reply(Success, answerKey, moved || more || client.Responses.Count > 0,
            more ? new XElement(Ns + "MoreAvailable") : null,
            commands.Count > 0 ? new XElement(Ns + "Commands", commands) : null,
            client.Responses.Count > 0 ? new XElement(Ns + "Responses", client.Responses) : null);
    }

    /// <summary>
    /// Goes on with a walk by UID: Adds what the device should have and lacks, SoftDeletes what it has and should not,
    /// until the window is full. Returns the walk left (null once every UID is passed) and whether more of it follows.
    /// </summary>
    private async Task<(MailboxWalk? Walk, bool More)> WalkAsync(ActiveSyncRequest request, Collection collection, MailboxWalk walk, ModSeq position, int window,
        BodyPreference preference, List<XElement> commands, CancellationToken cancellationToken)
    {
        var after = walk.AfterUid;
        while (true)
        {
            var limit = Math.Max(window - commands.Count + 1, 64); // one more than the window needs, to know whether more follow
            var items = await store.ListItemsAsync(collection.Id, new ImapUid(after), limit, cancellationToken);
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i];
                after = item.ImapUid.Value;
                if (item.CreatedModSeq.Value > position.Value)
                    continue;
                var received = item.InternalDate.ToUnixTimeMilliseconds();
                var (holds, wants) = (walk.Holds(after, received), walk.Wants(received));
                if (wants && !holds)
                    commands.Add(await AddAsync(request, collection, item, preference, cancellationToken));
                else if (holds && !wants)
                    commands.Add(new XElement(Ns + "SoftDelete", new XElement(Ns + "ServerId", ItemServerId.Format(collection.Id, item.Id))));
                var passedAll = i == items.Count - 1 && items.Count < limit;
                if (commands.Count == window)
                    return passedAll ? (null, false) : (walk with { AfterUid = after }, true);
            }
            if (items.Count < limit)
                return (null, false); // every UID passed: what changed meanwhile is in the change log
        }
    }

    /// <summary>The change log as Add, Change and Delete, leaving out the client's own changes and what is outside its window.</summary>
    private async Task ChangesAsync(ActiveSyncRequest request, Collection collection, ChangeSet changes, HashSet<long> own, long? since, BodyPreference preference,
        List<XElement> commands, CancellationToken cancellationToken)
    {
        foreach (var change in changes.Changes.Where(c => !own.Contains(c.ModSeq.Value)))
        {
            if (change.Kind == ItemChangeKind.Deleted || change.Item is null)
                commands.Add(new XElement(Ns + "Delete", new XElement(Ns + "ServerId", ItemServerId.Format(collection.Id, change.ItemId))));
            else if (change.Item.InternalDate.ToUnixTimeMilliseconds() < (since ?? long.MinValue))
                continue;
            else if (change.Kind == ItemChangeKind.Created)
                commands.Add(await AddAsync(request, collection, change.Item, preference, cancellationToken));
            else
                commands.Add(await ChangeAsync(request, collection, change.Item, cancellationToken));
        }
    }

    private async Task<XElement> AddAsync(ActiveSyncRequest request, Collection collection, Item item, BodyPreference preference, CancellationToken cancellationToken)
        => new(Ns + "Add", new XElement(Ns + "ServerId", ItemServerId.Format(collection.Id, item.Id)),
            await EmailContent.ApplicationDataAsync(Ns + "ApplicationData", item, store, blobs, preference, request.Version, cancellationToken));

    /// <summary>A server-side change of a message is a change of its flags and keywords: the content of a message never changes.</summary>
    private async Task<XElement> ChangeAsync(ActiveSyncRequest request, Collection collection, Item item, CancellationToken cancellationToken)
        => new(Ns + "Change", new XElement(Ns + "ServerId", ItemServerId.Format(collection.Id, item.Id)), new XElement(Ns + "ApplicationData",
            item.Mail is { } mail ? EmailRecord.ChangedData(mail, await EmailItemState.LoadAsync(store, item, cancellationToken), request.Version) : null));

    /// <summary>The earliest DateReceived a FilterType keeps (MS-ASCMD 2.2.3.68.2), as UTC unix milliseconds; null for 0 (all).</summary>
    private long? SinceOf(int filterType)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? since = filterType switch
        {
            1 => now.AddDays(-1),
            2 => now.AddDays(-3),
            3 => now.AddDays(-7),
            4 => now.AddDays(-14),
            5 => now.AddMonths(-1),
            6 => now.AddMonths(-3),
            7 => now.AddMonths(-6),
            _ => null,
        };
        return since?.ToUnixTimeMilliseconds();
    }
}
