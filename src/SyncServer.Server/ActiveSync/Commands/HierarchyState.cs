using System.Globalization;
using System.Text.Json;
using SyncServer.Core.Changes;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// The folder hierarchy's sync state data: the folders the device changed itself (FolderCreate, FolderUpdate,
/// FolderDelete), by collection id with the modseq of that change. The device already knows these versions, so
/// FolderSync does not report them back; an entry is kept while a repeated key could still reach it (its modseq is
/// after the state's previous position).
/// </summary>
public sealed record HierarchyState(Dictionary<long, long> Known)
{
    public static HierarchyState Read(string? data)
        => data is null ? new HierarchyState([]) : JsonSerializer.Deserialize<HierarchyState>(data) ?? new HierarchyState([]);

    public string? Write() => Known.Count == 0 ? null : JsonSerializer.Serialize(this);

    /// <summary>Whether the device made this change itself (or a later one of the same folder): nothing to report.</summary>
    public bool IsKnown(CollectionChange change) => Known.TryGetValue(change.CollectionId.Value, out var modSeq) && modSeq >= change.ModSeq.Value;

    /// <summary>Whether the device has this folder from its own FolderCreate, so a later change is an Update, not an Add.</summary>
    public bool Has(CollectionId collection) => Known.ContainsKey(collection.Value);

    /// <summary>What stays after the state moves on: the entries a repeat from <paramref name="previous"/> would still meet.</summary>
    public HierarchyState After(ModSeq previous) => new(Known.Where(k => k.Value > previous.Value).ToDictionary());

    /// <summary>
    /// The state a FolderCreate/Update/Delete request names by its SyncKey: the device's current hierarchy state, or
    /// null (status 9: the client runs FolderSync again). A missing or malformed key is <paramref name="malformed"/>.
    /// </summary>
    public static async Task<(SyncState? State, bool Malformed)> CurrentAsync(IDeviceStore devices, ActiveSyncRequest request, string? syncKey,
        CancellationToken cancellationToken)
    {
        if (!long.TryParse(syncKey, NumberStyles.None, CultureInfo.InvariantCulture, out var key))
            return (null, true);
        var state = await devices.GetSyncStateAsync(request.Account.Id, request.Device.DeviceId, SyncState.Hierarchy, cancellationToken);
        return (state is not null && key != 0 && key == state.SyncKey ? state : null, false);
    }

    /// <summary>
    /// After the device's own change of <paramref name="changed"/> committed: a new SyncKey at the same position, with
    /// the change recorded as known so that the next FolderSync does not send it back. Returns the new key.
    /// </summary>
    public static async Task<long> AdvanceAsync(IStore store, IDeviceStore devices, SyncState state, IReadOnlyCollection<CollectionId> changed,
        CancellationToken cancellationToken)
    {
        var known = Read(state.Data).Known;
        var changes = await store.GetHierarchyChangesAsync(state.Account, state.ModSeq, int.MaxValue, cancellationToken);
        foreach (var change in changes.Changes.Where(c => changed.Contains(c.CollectionId)))
            known[change.CollectionId.Value] = change.ModSeq.Value;
        var next = state with { SyncKey = state.SyncKey + 1, PreviousModSeq = state.ModSeq, Data = new HierarchyState(known).Write() };
        await devices.SaveSyncStateAsync(next, cancellationToken);
        return next.SyncKey;
    }
}
