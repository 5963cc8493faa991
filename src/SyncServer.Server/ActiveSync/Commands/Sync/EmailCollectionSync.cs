using System.Globalization;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
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
/// The client's changes and the state of the key they make are saved in one store transaction (DESIGN.md §1). The
/// walk stops at the request's time budget (EAS-HTTP-12). A second SyncKey 0 soon after the first joins the running
/// first walk (EAS-Q-02). A key sent again and again is a client that cannot take an item of the answer (EAS-SYNC-10):
/// the answer then goes one item at a time, and an item whose answer is resent twice is skipped from then on, as is
/// an item that cannot be converted.
/// </summary>
public sealed partial class EmailCollectionSync(IStore store, IDeviceStore devices, IBlobStore blobs, TimeProvider time, ILogger logger)
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.AirSync;
    private const int Success = 1, InvalidSyncKey = 3, ProtocolError = 4, FolderHierarchyChanged = 12;

    /// <summary>Answers to one key before it counts as a loop: the same request three times is still answered the same.</summary>
    public const int LoopRepeats = 3;

    /// <summary>Resends of an answer carrying one item alone that mark that item broken.</summary>
    public const int SuspectRepeats = 2;

    /// <summary>How long after SyncKey 0 a second SyncKey 0 of the same folder joins the running first walk.</summary>
    public static readonly TimeSpan InitialSyncJoinWindow = TimeSpan.FromSeconds(60);

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

    /// <param name="deadline">When the walk stops adding items (after at least one) and answers MoreAvailable.</param>
    public async Task<Answer> SyncAsync(ActiveSyncRequest request, SyncCollectionRequest asked, int window, DateTimeOffset deadline,
        CancellationToken cancellationToken)
    {
        var collectionId = asked.CollectionId;
        Answer Reply(int status, long? key, bool news, params object?[] content)
            => new(new XElement(Ns + "Collection", key is null ? null : new XElement(Ns + "SyncKey", key.Value.ToString(CultureInfo.InvariantCulture)),
                new XElement(Ns + "CollectionId", collectionId), new XElement(Ns + "Status", status), content), news || status != Success);

        // The Outbox is always empty (mail is sent with SendMail); some Androids sync it and hold heartbeats on it (EAS-Q-22).
        if (collectionId == FolderTypes.OutboxServerId)
            return Reply(Success, 1, asked.SyncKey == "0");
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
            if (state is not null && IsRunningFirstWalk(EmailSyncState.Read(state.Data), options))
            {
                InitialSyncJoined(logger, request.Account.Address, deviceId, collectionId, state.SyncKey);
                return Reply(Success, state.SyncKey, true);
            }
            var since = SinceOf(options.FilterType);
            var primed = new SyncState(account, deviceId, collectionId, (state?.SyncKey ?? 0) + 1, collection.HighestModSeq, collection.HighestModSeq,
                EmailSyncState.Primed(options.FilterType, since, time.GetUtcNow().ToUnixTimeMilliseconds()).Write());
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
        var answerKey = isRepeat ? state.SyncKey : state.SyncKey + 1;
        if (options.FilterType != filterType)
        {
            var (heldUpTo, since) = walk?.HeldAfterwards ?? (null, heldSince);
            (filterType, heldSince) = (options.FilterType, SinceOf(options.FilterType));
            walk = new MailboxWalk(0, heldUpTo, since, heldSince);
        }

        // Loop detection (EAS-SYNC-10): the same key answered again and again → one item at a time; one item resent → skipped.
        var broken = data.Broken.ToHashSet();
        var repeats = isRepeat ? data.Repeats + 1 : 0;
        var oneByOne = isRepeat ? data.PreviousOneByOne : data.OneByOne;
        if (isRepeat && repeats >= LoopRepeats && oneByOne == 0)
        {
            oneByOne = Math.Max(window, 1);
            LoopDetected(logger, request.Account.Address, deviceId, collectionId, key, repeats + 1);
        }
        else if (isRepeat && data.Suspect is { } suspect && repeats - data.SuspectRepeats >= SuspectRepeats && broken.Add(suspect))
            ItemSkipped(logger, request.Account.Address, deviceId, collectionId, suspect);

        EmailSyncState Next(MailboxWalk? nextWalk, long? suspect, int sent) => new(nextWalk, filterType, heldSince,
            isRepeat ? data.PreviousWalk : data.Walk, isRepeat ? data.PreviousFilterType : data.FilterType, isRepeat ? data.PreviousSince : data.Since,
            clientIds, [.. own.Where(m => m > position.Value).Order()])
        {
            Repeats = repeats,
            Suspect = suspect,
            SuspectRepeats = isRepeat && suspect == data.Suspect ? data.SuspectRepeats : repeats,
            OneByOne = Math.Max(0, oneByOne - sent),
            PreviousOneByOne = oneByOne,
            Broken = [.. broken.Order()],
            InitialSyncStarted = nextWalk is null ? null : data.InitialSyncStarted,
        };

        // The client's changes and the key they make, in one transaction: a crash before the answer loses both or neither.
        var client = EmailClientCommands.Outcome.None;
        if (asked.Commands is not null)
        {
            await using var transaction = await store.BeginAsync(account, cancellationToken);
            client = await _clientCommands.ApplyAsync(request, collection, asked, options.Body, clientIds, transaction, cancellationToken);
            if (client.Wrote)
            {
                own.UnionWith(client.OwnChanges.Select(m => m.Value));
                await transaction.SaveSyncStateAsync(new SyncState(account, deviceId, collectionId, answerKey, position, position,
                    Next(walk, data.Suspect, 0).Write()), cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                client.OwnChanges.AddRange(await _clientCommands.TombstonesAsync(collection, client.Deleted, cancellationToken));
            }
        }
        own.UnionWith(client.OwnChanges.Select(m => m.Value));

        var commands = new List<XElement>();
        var more = false;
        var nextPosition = position;
        var nextWalk = walk;
        var room = oneByOne > 0 ? Math.Min(window, 1) : window;
        if (asked.GetChanges && room > 0)
        {
            if (walk is not null)
                (nextWalk, more) = await WalkAsync(request, collection, walk, position, room, deadline, broken, options.Body, commands, cancellationToken);
            if (nextWalk is null && (commands.Count == room || (commands.Count > 0 && time.GetUtcNow() >= deadline)))
                more = collection.HighestModSeq.Value > position.Value;
            else if (nextWalk is null)
            {
                // The change log since the position, in the room the walk (if it just ended) left.
                var changes = await store.GetChangesAsync(collection.Id, position, room - commands.Count, cancellationToken);
                if (changes.IsTruncated)
                    return Reply(InvalidSyncKey, 0, true);
                await ChangesAsync(request, collection, changes, own, broken, heldSince, options.Body, commands, cancellationToken);
                more = changes.HasMore;
                if (changes.Changes.Count > 0)
                    nextPosition = changes.NextModSeq;
            }
            else if (more && commands.Count < room)
                TimeBudgetSpent(logger, request.Account.Address, deviceId, collectionId, commands.Count);
        }
        else if (asked.GetChanges)
            more = true;

        long? sentAlone = oneByOne > 0 && commands.Count == 1 && ItemServerId.TryParse((string?)commands[0].Element(Ns + "ServerId"), out _, out var alone)
            ? alone.Value
            : null;
        var next = Next(nextWalk, sentAlone, commands.Count);
        var moved = isRepeat || commands.Count > 0 || nextWalk != walk || walk != data.Walk || filterType != data.FilterType
            || nextPosition != position || client.Wrote || clientIds.Count > 0 || broken.Count != data.Broken.Count;
        if (moved)
            await devices.SaveSyncStateAsync(new SyncState(account, deviceId, collectionId, answerKey, nextPosition, position, next.Write()), cancellationToken);
        else
            answerKey = state.SyncKey;
        return Reply(Success, answerKey, moved || more || client.Responses.Count > 0,
            more ? new XElement(Ns + "MoreAvailable") : null,
            commands.Count > 0 ? new XElement(Ns + "Commands", commands) : null,
            client.Responses.Count > 0 ? new XElement(Ns + "Responses", client.Responses) : null);
    }

    /// <summary>Whether a state is a first walk begun by SyncKey 0 moments ago with these options, which a second SyncKey 0 joins.</summary>
    private bool IsRunningFirstWalk(EmailSyncState? data, SyncOptions options)
        => data is { Walk: not null, InitialSyncStarted: { } started } && data.FilterType == options.FilterType
            && time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(started) < InitialSyncJoinWindow;

    /// <summary>
    /// Goes on with a walk by UID: Adds what the device should have and lacks, SoftDeletes what it has and should not,
    /// until the window is full. Returns the walk left (null once every UID is passed) and whether more of it follows.
    /// </summary>
    private async Task<(MailboxWalk? Walk, bool More)> WalkAsync(ActiveSyncRequest request, Collection collection, MailboxWalk walk, ModSeq position,
        int window, DateTimeOffset deadline, HashSet<long> broken, BodyPreference preference, List<XElement> commands, CancellationToken cancellationToken)
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
                if (item.CreatedModSeq.Value > position.Value || broken.Contains(item.Id.Value))
                    continue;
                var received = item.InternalDate.ToUnixTimeMilliseconds();
                var (holds, wants) = (walk.Holds(after, received), walk.Wants(received));
                if (wants && !holds && await AddAsync(request, collection, item, preference, broken, cancellationToken) is { } add)
                    commands.Add(add);
                else if (holds && !wants)
                    commands.Add(new XElement(Ns + "SoftDelete", new XElement(Ns + "ServerId", ItemServerId.Format(collection.Id, item.Id))));
                var passedAll = i == items.Count - 1 && items.Count < limit;
                if (commands.Count == window || (commands.Count > 0 && time.GetUtcNow() >= deadline))
                    return passedAll ? (null, false) : (walk with { AfterUid = after }, true);
            }
            if (items.Count < limit)
                return (null, false); // every UID passed: what changed meanwhile is in the change log
        }
    }

    /// <summary>The change log as Add, Change and Delete, leaving out the client's own changes and what is outside its window.</summary>
    private async Task ChangesAsync(ActiveSyncRequest request, Collection collection, ChangeSet changes, HashSet<long> own, HashSet<long> broken,
        long? since, BodyPreference preference, List<XElement> commands, CancellationToken cancellationToken)
    {
        foreach (var change in changes.Changes.Where(c => !own.Contains(c.ModSeq.Value)))
        {
            if (change.Kind == ItemChangeKind.Deleted || change.Item is null)
                commands.Add(new XElement(Ns + "Delete", new XElement(Ns + "ServerId", ItemServerId.Format(collection.Id, change.ItemId))));
            else if (change.Item.InternalDate.ToUnixTimeMilliseconds() < (since ?? long.MinValue) || broken.Contains(change.ItemId.Value))
                continue;
            else if (change.Kind == ItemChangeKind.Created)
            {
                if (await AddAsync(request, collection, change.Item, preference, broken, cancellationToken) is { } add)
                    commands.Add(add);
            }
            else
                commands.Add(await ChangeAsync(request, collection, change.Item, cancellationToken));
        }
    }

    /// <summary>An item as a server Add; null, and the item marked broken, when it cannot be converted (its bytes unreadable).</summary>
    private async Task<XElement?> AddAsync(ActiveSyncRequest request, Collection collection, Item item, BodyPreference preference, HashSet<long> broken,
        CancellationToken cancellationToken)
    {
        try
        {
            return new(Ns + "Add", new XElement(Ns + "ServerId", ItemServerId.Format(collection.Id, item.Id)),
                await EmailContent.ApplicationDataAsync(Ns + "ApplicationData", item, store, blobs, preference, request.Version, cancellationToken));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            broken.Add(item.Id.Value);
            ItemNotConverted(logger, e, request.Account.Address, request.Device.DeviceId, collection.Id.Value, item.Id.Value);
            return null;
        }
    }

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

    [LoggerMessage(6300, LogLevel.Information,
        "ActiveSync loop: {Account} on device {DeviceId} sent SyncKey {SyncKey} of collection {Collection} {Times} times; its items now go one at a time")]
    private static partial void LoopDetected(ILogger logger, string account, string deviceId, string collection, long syncKey, int times);

    [LoggerMessage(6301, LogLevel.Warning,
        "ActiveSync: device {DeviceId} of {Account} keeps refusing item {Item} of collection {Collection}; it is skipped for this device")]
    private static partial void ItemSkipped(ILogger logger, string account, string deviceId, string collection, long item);

    [LoggerMessage(6302, LogLevel.Warning,
        "ActiveSync: item {Item} of collection {Collection} could not be converted for device {DeviceId} of {Account}; it is skipped for this device")]
    private static partial void ItemNotConverted(ILogger logger, Exception exception, string account, string deviceId, long collection, long item);

    [LoggerMessage(6303, LogLevel.Information,
        "ActiveSync: a second SyncKey 0 of collection {Collection} from device {DeviceId} of {Account} joins its running first sync at key {SyncKey}")]
    private static partial void InitialSyncJoined(ILogger logger, string account, string deviceId, string collection, long syncKey);

    [LoggerMessage(6304, LogLevel.Debug,
        "ActiveSync: the time budget of the Sync of collection {Collection} by device {DeviceId} of {Account} ended after {Items} items")]
    private static partial void TimeBudgetSpent(ILogger logger, string account, string deviceId, string collection, int items);
}
