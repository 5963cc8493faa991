using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using SyncServer.Core.Changes;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// Ping (MS-ASCMD 2.2.1.13, 3.1.5.8; client-requirements EAS-PING-01 … 05): waits until one of the listed folders
/// changes past the position of the device's last Sync of it, or the heartbeat ends. The folder list and heartbeat
/// are remembered per device, so a later Ping may come without a body. Waiting holds no thread: it awaits the change
/// notifier, which wakes within milliseconds of a commit by any protocol. Every Ping is logged with its device id and
/// heartbeat (never credentials), so a phone that stops renewing its Pings shows in the log (EAS-Q-28, EAS-PING-06).
/// </summary>
public sealed partial class Ping(IStore store, IDeviceStore devices, IChangeNotifier notifier, PingRegistry registry, TimeProvider time,
    ILogger<Ping> logger) : IActiveSyncCommand
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.Ping;
    private const int Expired = 1, Changes = 2, MissingParameters = 3, ProtocolError = 4, HeartbeatOutOfRange = 5, TooManyFolders = 6,
        HierarchyChanged = 7;
    public const int MinHeartbeat = 60, MaxHeartbeat = 3540, MaxFolders = 300;

    /// <summary>The sync-state name under which a device's last Ping parameters are kept.</summary>
    private const string CacheName = "ping";

    private sealed record Parameters(int Heartbeat, IReadOnlyList<string> Folders);

    public string Name => "Ping";

    public XName Root => Ns + "Ping";

    public bool NeedsProvisioning => false;

    public async Task<ActiveSyncResponse> HandleAsync(ActiveSyncRequest request, CancellationToken cancellationToken)
    {
        var account = request.Account.Id;
        var deviceId = request.Device.DeviceId;
        var cached = await devices.GetSyncStateAsync(account, deviceId, CacheName, cancellationToken) is { Data: { } data }
            ? JsonSerializer.Deserialize<Parameters>(data)
            : null;

        var heartbeatText = (string?)request.Body?.Element(Ns + "HeartbeatInterval");
        int heartbeat;
        if (heartbeatText is null)
            heartbeat = cached?.Heartbeat ?? 0;
        else if (!int.TryParse(heartbeatText, NumberStyles.None, CultureInfo.InvariantCulture, out heartbeat))
            return Status(ProtocolError);
        var folders = request.Body?.Element(Ns + "Folders") is { } listed
            ? listed.Elements(Ns + "Folder").Select(f => (string?)f.Element(Ns + "Id") ?? "").ToList()
            : cached?.Folders.ToList();
        if (heartbeat == 0 || folders is null || folders.Count == 0)
            return Status(MissingParameters);
        if (heartbeat is < MinHeartbeat or > MaxHeartbeat)
            return new ActiveSyncResponse(new XElement(Root, new XElement(Ns + "Status", HeartbeatOutOfRange),
                new XElement(Ns + "HeartbeatInterval", heartbeat < MinHeartbeat ? MinHeartbeat : MaxHeartbeat)));
        if (folders.Count > MaxFolders)
            return new ActiveSyncResponse(new XElement(Root, new XElement(Ns + "Status", TooManyFolders), new XElement(Ns + "MaxFolders", MaxFolders)));
        await devices.SaveSyncStateAsync(new SyncState(account, deviceId, CacheName, 0, default, default,
            JsonSerializer.Serialize(new Parameters(heartbeat, folders))), cancellationToken);
        PingRenewed(logger, request.Account.Address, deviceId, request.Device.DeviceType, heartbeat, folders.Count);

        // Subscribe before looking, so a commit between the look and the wait is not missed.
        using var subscription = notifier.Subscribe(account);
        var watched = new Dictionary<CollectionId, string>();
        var changed = new List<string>();
        foreach (var folder in folders.Where(f => f != FolderTypes.OutboxServerId)) // always empty; some Androids list it (EAS-Q-22)
        {
            var collection = long.TryParse(folder, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                ? await store.GetCollectionAsync(new CollectionId(id), cancellationToken)
                : null;
            if (collection is null || collection.AccountId != account || !FolderTypes.IsServed(collection))
                return Status(HierarchyChanged);
            watched[collection.Id] = folder;
            // Changes since the last SyncKey the device was given (3.1.5.8), not since the Ping began.
            var synced = await devices.GetSyncStateAsync(account, deviceId, folder, cancellationToken);
            if (synced is null || collection.HighestModSeq.Value > synced.ModSeq.Value)
                changed.Add(folder);
        }
        if (changed.Count > 0)
            return Answer(changed);

        var interrupt = registry.Register(account, deviceId);
        try
        {
            using var heartbeatEnd = new CancellationTokenSource(TimeSpan.FromSeconds(heartbeat), time);
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, interrupt.Token, heartbeatEnd.Token);
            try
            {
                await foreach (var change in subscription.Changes.ReadAllAsync(waiting.Token))
                {
                    if (change.Collection is { } collection && watched.TryGetValue(collection, out var folder))
                        return Answer([folder]);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The heartbeat ended, or the device sent another request: nothing changed (status 1).
            }
            return Status(Expired);
        }
        finally
        {
            registry.Unregister(account, deviceId, interrupt);
            interrupt.Dispose();
        }
    }

    private ActiveSyncResponse Answer(IReadOnlyList<string> folders)
        => new(new XElement(Root, new XElement(Ns + "Status", Changes),
            new XElement(Ns + "Folders", folders.Select(f => new XElement(Ns + "Folder", f)))));

    private ActiveSyncResponse Status(int status) => new(new XElement(Root, new XElement(Ns + "Status", status)));

    [LoggerMessage(6305, LogLevel.Information, "ActiveSync Ping of {Account} on device {DeviceId} ({DeviceType}): heartbeat {Heartbeat} s, {Folders} folders")]
    private static partial void PingRenewed(ILogger logger, string account, string deviceId, string deviceType, int heartbeat, int folders);
}
