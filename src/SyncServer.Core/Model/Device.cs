namespace SyncServer.Core.Model;

/// <summary>Where a device's remote wipe stands (MS-ASPROV 3.1.5.1.2).</summary>
public enum WipeState
{
    None = 0,
    /// <summary>The next Provision carries RemoteWipe: the whole device is reset.</summary>
    Requested = 1,
    /// <summary>The next Provision carries AccountOnlyRemoteWipe (16.1): only this account's data is removed.</summary>
    AccountOnlyRequested = 2,
    /// <summary>The device acknowledged the wipe.</summary>
    Wiped = 3,
}

/// <summary>What a device tells about itself (Settings or Provision DeviceInformation); every part optional.</summary>
public sealed record DeviceInformation(
    string? Model = null,
    string? FriendlyName = null,
    string? OperatingSystem = null,
    string? PhoneNumber = null);

/// <summary>
/// A phone or client syncing one account over ActiveSync. The key is (account, device id): one device can hold
/// several accounts of the same server. Policy keys are MS-ASPROV's: 0 until a Provision is acknowledged.
/// </summary>
public sealed record Device(
    AccountId Account,
    string DeviceId,
    string DeviceType,
    string? UserAgent,
    string? ProtocolVersion,
    DeviceInformation Information,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    uint PolicyKey,
    uint PendingPolicyKey,
    WipeState Wipe,
    DateTimeOffset? WipeAcknowledgedAt);

/// <summary>
/// A device's position in one collection's change log: <see cref="SyncKey"/> names the answer that took it to
/// <see cref="ModSeq"/>; the previous key (<c>SyncKey - 1</c>) stays answerable from <see cref="PreviousModSeq"/>
/// so a resent request gets the same items again. <see cref="Data"/> is the command's own state (JSON).
/// </summary>
public sealed record SyncState(
    AccountId Account,
    string DeviceId,
    string Collection,
    long SyncKey,
    ModSeq ModSeq,
    ModSeq PreviousModSeq,
    string? Data = null)
{
    /// <summary>The <see cref="Collection"/> name of the folder hierarchy's state (FolderSync).</summary>
    public const string Hierarchy = "hierarchy";
}
