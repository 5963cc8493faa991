using SyncServer.Core.Model;

namespace SyncServer.Core.Store;

/// <summary>ActiveSync devices and their sync states; removing an account or a device removes its states.</summary>
public interface IDeviceStore
{
    /// <summary>Records a request from a device: creates it on first sight, else updates last seen, type, user agent and version.</summary>
    Task<Device> RecordRequestAsync(AccountId account, string deviceId, string deviceType, string? userAgent, string? protocolVersion,
        CancellationToken cancellationToken);

    Task<Device?> GetDeviceAsync(AccountId account, string deviceId, CancellationToken cancellationToken);

    /// <summary>The devices of one account, or of every account when null.</summary>
    Task<IReadOnlyList<Device>> ListDevicesAsync(AccountId? account, CancellationToken cancellationToken);

    Task SetInformationAsync(AccountId account, string deviceId, DeviceInformation information, CancellationToken cancellationToken);

    Task SetPolicyKeysAsync(AccountId account, string deviceId, uint policyKey, uint pendingPolicyKey, CancellationToken cancellationToken);

    /// <summary>Sets the wipe state (<see cref="WipeState.Wiped"/> records the time); false when there is no such device.</summary>
    Task<bool> SetWipeAsync(AccountId account, string deviceId, WipeState wipe, CancellationToken cancellationToken);

    Task<bool> RemoveDeviceAsync(AccountId account, string deviceId, CancellationToken cancellationToken);

    Task<SyncState?> GetSyncStateAsync(AccountId account, string deviceId, string collection, CancellationToken cancellationToken);

    /// <summary>Creates or replaces the device's state for <see cref="SyncState.Collection"/>.</summary>
    Task SaveSyncStateAsync(SyncState state, CancellationToken cancellationToken);
}
