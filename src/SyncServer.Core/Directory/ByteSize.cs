using System.Globalization;

namespace SyncServer.Core.Directory;

/// <summary>Sizes as administrators write them: <c>1024</c> (bytes), <c>500K</c>, <c>500M</c>, <c>2G</c>, <c>1T</c> (binary multiples; a trailing <c>B</c> is allowed).</summary>
public static class ByteSize
{
    private const string Units = "KMGT";

    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        var s = text?.Trim().ToUpperInvariant() ?? "";
        if (s.Length > 1 && s.EndsWith('B'))
            s = s[..^1];
        var unit = s.Length > 0 ? Units.IndexOf(s[^1], StringComparison.Ordinal) : -1;
        var digits = unit >= 0 ? s[..^1] : s;
        if (digits.Length == 0 || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            return false;
        var factor = unit >= 0 ? 1L << (10 * (unit + 1)) : 1;
        try
        {
            bytes = checked(value * factor);
        }
        catch (OverflowException)
        {
            return false;
        }
        return true;
    }

    /// <summary>The shortest exact form: <c>2G</c>, <c>500M</c>, <c>1000</c>.</summary>
    public static string Format(long bytes)
    {
        for (var unit = Units.Length - 1; unit >= 0; unit--)
        {
            var factor = 1L << (10 * (unit + 1));
            if (bytes != 0 && bytes % factor == 0)
                return string.Create(CultureInfo.InvariantCulture, $"{bytes / factor}{Units[unit]}");
        }
        return bytes.ToString(CultureInfo.InvariantCulture);
    }
}
