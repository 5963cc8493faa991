using System.Buffers.Binary;
using System.Text;

namespace SyncServer.Server.ActiveSync.Mapping;

/// <summary>
/// The ActiveSync TimeZone value (MS-ASDTYPE 2.7.6; client-requirements EAS-CAL-01): the base64 of a 172-byte Windows
/// TIME_ZONE_INFORMATION — Bias (UTC = local + bias, minutes), StandardName, StandardDate, StandardBias, DaylightName,
/// DaylightDate, DaylightBias, all little-endian. A zone's rules of one year only: EAS cannot express rule changes. The
/// dates are recurring rules (wYear 0, wDay the week of the month, 5 = last); a zone without daylight saving has wMonth 0.
/// </summary>
public static class TimeZoneBlob
{
    public const int Size = 172;
    private const int NameBytes = 64;

    /// <summary>UTC: everything zero.</summary>
    public static string Utc { get; } = Convert.ToBase64String(new byte[Size]);

    /// <summary>The blob of <paramref name="zone"/> as its rules stand in <paramref name="year"/>.</summary>
    public static string For(TimeZoneInfo zone, int year)
    {
        var middle = new DateTime(year, 7, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var rule = zone.GetAdjustmentRules().FirstOrDefault(r => r.DateStart <= middle && middle <= r.DateEnd && r.DaylightDelta != TimeSpan.Zero);
        var bias = -(int)(zone.BaseUtcOffset + (rule?.BaseUtcOffsetDelta ?? TimeSpan.Zero)).TotalMinutes;
        var blob = new byte[Size];
        var span = blob.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span, bias);
        WriteName(span.Slice(4, NameBytes), zone.StandardName);
        if (rule is not null)
        {
            WriteDate(span.Slice(68, 16), rule.DaylightTransitionEnd, year);
            WriteName(span.Slice(88, NameBytes), zone.DaylightName);
            WriteDate(span.Slice(152, 16), rule.DaylightTransitionStart, year);
            BinaryPrimitives.WriteInt32LittleEndian(span.Slice(168, 4), -(int)rule.DaylightDelta.TotalMinutes);
        }
        return Convert.ToBase64String(blob);
    }

    private static void WriteName(Span<byte> target, string name)
    {
        var text = name.Length > 31 ? name[..31] : name;
        Encoding.Unicode.GetBytes(text, target);
    }

    /// <summary>A SYSTEMTIME as a recurring rule: month, day of week, week of month (5 = last), and the local time of the change.</summary>
    private static void WriteDate(Span<byte> target, TimeZoneInfo.TransitionTime transition, int year)
    {
        int week;
        DayOfWeek day;
        if (transition.IsFixedDateRule)
        {
            var date = new DateTime(year, transition.Month, Math.Min(transition.Day, DateTime.DaysInMonth(year, transition.Month)));
            day = date.DayOfWeek;
            week = date.Day + 7 > DateTime.DaysInMonth(year, transition.Month) ? 5 : (date.Day - 1) / 7 + 1;
        }
        else
        {
            (day, week) = (transition.DayOfWeek, transition.Week);
        }
        var time = transition.TimeOfDay;
        ushort[] fields = [0, (ushort)transition.Month, (ushort)day, (ushort)week, (ushort)time.Hour, (ushort)time.Minute, (ushort)time.Second, 0];
        for (var i = 0; i < fields.Length; i++)
            BinaryPrimitives.WriteUInt16LittleEndian(target.Slice(i * 2, 2), fields[i]);
    }
}
