using System.Globalization;

namespace SyncServer.Protocols.ActiveSync.Http;

/// <summary>An ActiveSync protocol version (<c>MS-ASProtocolVersion</c>), compared as major.minor.</summary>
public readonly record struct ActiveSyncVersion(int Major, int Minor) : IComparable<ActiveSyncVersion>
{
    public static readonly ActiveSyncVersion V12_1 = new(12, 1);
    public static readonly ActiveSyncVersion V14_0 = new(14, 0);
    public static readonly ActiveSyncVersion V14_1 = new(14, 1);
    public static readonly ActiveSyncVersion V16_0 = new(16, 0);
    public static readonly ActiveSyncVersion V16_1 = new(16, 1);

    /// <summary>What the server speaks (client-requirements EAS-VER-10): clients pick the highest they share.</summary>
    public static readonly IReadOnlyList<ActiveSyncVersion> Supported = [V12_1, V14_0, V14_1, V16_0, V16_1];

    public static bool TryParse(string? text, out ActiveSyncVersion version)
    {
        version = default;
        var dot = text?.IndexOf('.') ?? -1;
        if (dot <= 0
            || !int.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(text.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
            return false;
        version = new ActiveSyncVersion(major, minor);
        return true;
    }

    public int CompareTo(ActiveSyncVersion other) => (Major, Minor).CompareTo((other.Major, other.Minor));

    public static bool operator <(ActiveSyncVersion a, ActiveSyncVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(ActiveSyncVersion a, ActiveSyncVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(ActiveSyncVersion a, ActiveSyncVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(ActiveSyncVersion a, ActiveSyncVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Major.ToString(CultureInfo.InvariantCulture)}.{Minor.ToString(CultureInfo.InvariantCulture)}";
}
