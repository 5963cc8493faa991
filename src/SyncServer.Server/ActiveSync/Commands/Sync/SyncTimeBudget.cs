using SyncServer.Core.Model;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// How long a Sync may export before it answers with what it has and MoreAvailable (client-requirements EAS-HTTP-12,
/// EAS-Q-21): clients give up on a normal request after about 30 s (Android and most others), 90 s (Samsung) or 240 s
/// (iOS, Outlook), so each class gets a budget safely below its limit, by DeviceType. <c>ActiveSync:SyncTimeBudgetSeconds</c>
/// sets one budget for every device instead (e.g. behind a proxy with a shorter timeout).
/// </summary>
public sealed class SyncTimeBudget(int? configuredSeconds)
{
    public static readonly TimeSpan Short = TimeSpan.FromSeconds(25), Medium = TimeSpan.FromSeconds(80), Long = TimeSpan.FromSeconds(200);

    private static readonly string[] LongDeviceTypes = ["iPhone", "iPad", "iPod", "WP", "WindowsOutlook", "WindowsMail", "Outlook"];

    public TimeSpan For(Device device)
        => configuredSeconds is { } seconds ? TimeSpan.FromSeconds(Math.Max(seconds, 0))
            : device.DeviceType.StartsWith("SAMSUNG", StringComparison.OrdinalIgnoreCase) ? Medium
            : LongDeviceTypes.Any(t => device.DeviceType.StartsWith(t, StringComparison.OrdinalIgnoreCase)) ? Long
            : Short;
}
