using System.Globalization;
using System.Text.Json;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// A pass over a mailbox by UID (items after <see cref="AfterUid"/> created before the state's modseq), comparing
/// what the device holds with what its filter wants: an item the device does not hold but should is sent as Add, one
/// it holds but should not any more as SoftDelete. The device holds the items with UID ≤ <see cref="HeldUpToUid"/>
/// (null: every UID) received on or after <see cref="HeldSince"/>, and wants those received on or after
/// <see cref="Since"/> (null: no limit). The first pass holds nothing; a FilterType change starts a new pass.
/// Dates are UTC unix milliseconds.
/// </summary>
public sealed record MailboxWalk(uint AfterUid, uint? HeldUpToUid, long? HeldSince, long? Since)
{
    public static MailboxWalk First(long? since) => new(0, 0, null, since);

    public bool Holds(uint uid, long received) => (HeldUpToUid is null || uid <= HeldUpToUid) && received >= (HeldSince ?? long.MinValue);

    public bool Wants(long received) => received >= (Since ?? long.MinValue);

    /// <summary>What the device holds once it has received this pass up to <see cref="AfterUid"/> (when a new filter interrupts it).</summary>
    public (uint? UpToUid, long? Since) HeldAfterwards => (AfterUid, Since);
}

/// <summary>
/// The Email Sync's own part of a <see cref="Core.Model.SyncState"/> (its JSON <c>Data</c>): the walk in progress,
/// the FilterType and date limit the device holds, the same for the previous key (a resent previous key is answered
/// again from there), the ClientId → ItemId map of the Adds that made this key (a resent Add maps to the same item,
/// EAS-SYNC-02), and the modseqs of the device's own changes not yet passed, which are never sent back to it.
/// </summary>
public sealed record EmailSyncState(
    MailboxWalk? Walk,
    int FilterType,
    long? Since,
    MailboxWalk? PreviousWalk,
    int PreviousFilterType,
    long? PreviousSince,
    IReadOnlyDictionary<string, long> ClientIds,
    IReadOnlyList<long> OwnChanges)
{
    /// <summary>Times the previous key was sent again and answered again (loop detection, EAS-SYNC-10).</summary>
    public int Repeats { get; init; }

    /// <summary>The item sent alone in the last answer to the previous key while isolating, and <see cref="Repeats"/> then.</summary>
    public long? Suspect { get; init; }

    public int SuspectRepeats { get; init; }

    /// <summary>Items still to be sent one at a time after this key (isolating a broken one), and what it was for the previous key.</summary>
    public int OneByOne { get; init; }

    public int PreviousOneByOne { get; init; }

    /// <summary>Items never sent to this device again: the client could not take them, or they could not be converted.</summary>
    public IReadOnlyList<long> Broken { get; init; } = [];

    /// <summary>When SyncKey 0 started the first walk (UTC unix ms), while it runs: a second SyncKey 0 soon after joins it (EAS-Q-02).</summary>
    public long? InitialSyncStarted { get; init; }

    public static EmailSyncState Primed(int filterType, long? since, long now)
        => new(MailboxWalk.First(since), filterType, since, MailboxWalk.First(since), filterType, since, new Dictionary<string, long>(), [])
        {
            InitialSyncStarted = now,
        };

    public static EmailSyncState? Read(string? data) => data is null ? null : JsonSerializer.Deserialize<EmailSyncState>(data);

    public string Write() => JsonSerializer.Serialize(this);

    /// <summary>
    /// Records changes the device made outside Sync (MoveItems) as its own in its state of a collection, so its next
    /// Sync does not send them back (EAS-MV-01). A collection the device has not synced yet has no state to mark.
    /// </summary>
    public static async Task AddOwnChangesAsync(IDeviceStore devices, AccountId account, string deviceId, CollectionId collection,
        IEnumerable<ModSeq> changes, CancellationToken cancellationToken)
    {
        var name = collection.Value.ToString(CultureInfo.InvariantCulture);
        if (await devices.GetSyncStateAsync(account, deviceId, name, cancellationToken) is not { } state || Read(state.Data) is not { } data)
            return;
        var own = data with { OwnChanges = [.. data.OwnChanges, .. changes.Select(c => c.Value)] };
        await devices.SaveSyncStateAsync(state with { Data = own.Write() }, cancellationToken);
    }
}
