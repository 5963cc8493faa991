using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Server.ActiveSync;

/// <summary>
/// Outlook 365 (v2408 and later) takes a new DeviceId at every restart (client-requirements EAS-Q-10), so each restart
/// is a new device of the account. With <c>ActiveSync:MaxDevicesPerAccount</c> set, a device seen for the first time
/// beyond that number makes room by removing the least recently seen ones with their sync states; a device with a wipe
/// requested or done is kept, so it stays blocked. Off (0) by default: devices are listed and removed with
/// <c>./syncserver device list|remove</c>.
/// </summary>
public sealed partial class DeviceCap(IDeviceStore devices, int maxDevices, ILogger<DeviceCap> logger)
{
    public async Task MakeRoomAsync(Account account, Device device, CancellationToken cancellationToken)
    {
        if (maxDevices <= 0 || device.FirstSeen != device.LastSeen)
            return;
        var all = await devices.ListDevicesAsync(account.Id, cancellationToken);
        var removable = all.Where(d => d.DeviceId != device.DeviceId && d.Wipe == WipeState.None).OrderBy(d => d.LastSeen);
        foreach (var old in removable.Take(all.Count - maxDevices))
        {
            await devices.RemoveDeviceAsync(account.Id, old.DeviceId, cancellationToken);
            DeviceRemoved(logger, account.Address, old.DeviceId, old.DeviceType, old.LastSeen, device.DeviceId);
        }
    }

    [LoggerMessage(6306, LogLevel.Information,
        "ActiveSync: {Account} has more than the allowed devices; removed device {DeviceId} ({DeviceType}, last seen {LastSeen:O}) for new device {NewDeviceId}")]
    private static partial void DeviceRemoved(ILogger logger, string account, string deviceId, string deviceType, DateTimeOffset lastSeen, string newDeviceId);
}
