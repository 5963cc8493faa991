using System.Xml.Linq;
using SyncServer.Core.Changes;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// Sync (MS-ASCMD 2.2.1.21; client-requirements EAS-SYNC-01 … 09) for Email collections. The request is read into a
/// <see cref="SyncRequest"/>; an empty body repeats the device's remembered request with its current keys, a Partial
/// one is completed from it (nothing remembered: status 13). Each collection is answered by
/// <see cref="EmailCollectionSync"/>. When nothing is new and the request asks to wait (Wait or HeartbeatInterval),
/// the answer waits on the change notifier — no thread held — until a listed folder changes, the time is up or the
/// device sends another request; "nothing new" is an empty 200 (2.2.1.21.2).
/// </summary>
public sealed class Sync(IStore store, IDeviceStore devices, IBlobStore blobs, IChangeNotifier notifier, PingRegistry registry, SyncTimeBudget timeBudget,
    TimeProvider time, ILogger<Sync> logger) : IActiveSyncCommand
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.AirSync;
    private const int EmptyRequestWithoutCache = 13, DefaultWindowSize = 100;

    /// <summary>The sync-state name under which a device's last Sync request is remembered.</summary>
    private const string CacheName = "sync";

    private readonly EmailCollectionSync _collections = new(store, devices, blobs, time, logger);

    public string Name => "Sync";

    public XName Root => Ns + "Sync";

    public async Task<ActiveSyncResponse> HandleAsync(ActiveSyncRequest request, CancellationToken cancellationToken)
    {
        var account = request.Account.Id;
        var deviceId = request.Device.DeviceId;
        var cached = await devices.GetSyncStateAsync(account, deviceId, CacheName, cancellationToken);
        var remembered = SyncRequest.Read(cached?.Data);
        SyncRequest sync;
        if (request.Body is null)
        {
            if (remembered is null)
                return Status(EmptyRequestWithoutCache);
            sync = remembered;
        }
        else
        {
            if (!SyncRequest.TryParse(request.Body, out sync, out var partial, out var refusal))
                return new ActiveSyncResponse(new XElement(Root, new XElement(Ns + "Status", refusal!.Status),
                    refusal.Limit is { } limit ? new XElement(Ns + "Limit", limit) : null));
            if (partial && remembered is null)
                return Status(EmptyRequestWithoutCache);
            sync = (partial ? sync.CompletedFrom(remembered!) : sync).WithOptionsFrom(remembered);
        }
        var remember = sync.Remembered();
        if (remember != cached?.Data)
            await devices.SaveSyncStateAsync(new SyncState(account, deviceId, CacheName, 0, default, default, remember), cancellationToken);

        // Subscribe before looking, so a commit between the look and the wait is not missed.
        using var subscription = sync.HoldSeconds is null ? null : notifier.Subscribe(account);
        var answer = await AnswerAsync(request, sync, cancellationToken);
        if (answer is not null || subscription is null)
            return new ActiveSyncResponse(answer);

        var watched = new HashSet<CollectionId>();
        foreach (var collection in sync.Collections)
            if (await _collections.FindAsync(request, collection.CollectionId, cancellationToken) is { } found)
                watched.Add(found.Id);
        if (!await WaitForChangeAsync(request, subscription, watched, sync.HoldSeconds!.Value, cancellationToken))
            return ActiveSyncResponse.Empty;
        // A listed folder changed: answer from the keys the device holds now, its own changes already applied.
        var again = sync with { Collections = [.. sync.Collections.Select(c => c with { Commands = null })] };
        return new ActiveSyncResponse(await AnswerAsync(request, again, cancellationToken));
    }

    /// <summary>Every collection's answer, at most WindowSize items in all; null when none has anything new (the empty answer).</summary>
    private async Task<XElement?> AnswerAsync(ActiveSyncRequest request, SyncRequest sync, CancellationToken cancellationToken)
    {
        var budget = sync.WindowSize ?? int.MaxValue;
        var deadline = time.GetUtcNow() + timeBudget.For(request.Device);
        var answers = new List<EmailCollectionSync.Answer>();
        foreach (var collection in sync.Collections)
        {
            var window = Math.Min(collection.WindowSize ?? sync.WindowSize ?? DefaultWindowSize, budget);
            var answer = await _collections.SyncAsync(request, collection, window, deadline, cancellationToken);
            budget -= answer.Element.Element(Ns + "Commands")?.Elements().Count() ?? 0;
            answers.Add(answer);
        }
        return answers.Any(a => a.HasNews)
            ? new XElement(Root, new XElement(Ns + "Collections", answers.Select(a => a.Element)))
            : null;
    }

    /// <summary>True when a watched folder changed before the hold ended; false when it ended or the device sent another request.</summary>
    private async Task<bool> WaitForChangeAsync(ActiveSyncRequest request, IChangeSubscription subscription, HashSet<CollectionId> watched, int seconds,
        CancellationToken cancellationToken)
    {
        var interrupt = registry.Register(request.Account.Id, request.Device.DeviceId);
        try
        {
            using var holdEnd = new CancellationTokenSource(TimeSpan.FromSeconds(seconds), time);
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, interrupt.Token, holdEnd.Token);
            await foreach (var change in subscription.Changes.ReadAllAsync(waiting.Token))
                if (change.Collection is { } collection && watched.Contains(collection))
                    return true;
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            registry.Unregister(request.Account.Id, request.Device.DeviceId, interrupt);
            interrupt.Dispose();
        }
    }

    private ActiveSyncResponse Status(int status) => new(new XElement(Root, new XElement(Ns + "Status", status)));
}
