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

    /// <summary>
    /// The blob of <paramref name="zone"/> as its rules stand in <paramref name="year"/>, read from the zone's own transitions of that
    /// year (the platform's adjustment rules differ in how they state the time of day): each date is the local time the change
    /// happens at, as Windows states it (daylight saving starts at standard time, ends at daylight time).
    /// </summary>
    public static string For(TimeZoneInfo zone, int year)
    {
        var first = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var standardOffset = zone.GetUtcOffset(first);
        var toDaylight = Transition(zone, first, toDaylight: true);
        var toStandard = Transition(zone, first, toDaylight: false);
        if (zone.IsDaylightSavingTime(first))
            standardOffset = toStandard is { } back ? zone.GetUtcOffset(back) : standardOffset;
        var blob = new byte[Size];
        var span = blob.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span, -(int)standardOffset.TotalMinutes);
        WriteName(span.Slice(4, NameBytes), zone.StandardName);
        if (toDaylight is { } start && toStandard is { } end)
        {
            var daylightOffset = zone.GetUtcOffset(start);
            WriteDate(span.Slice(68, 16), end.UtcDateTime + daylightOffset);
            WriteName(span.Slice(88, NameBytes), zone.DaylightName);
            WriteDate(span.Slice(152, 16), start.UtcDateTime + standardOffset);
            BinaryPrimitives.WriteInt32LittleEndian(span.Slice(168, 4), -(int)(daylightOffset - standardOffset).TotalMinutes);
        }
        return Convert.ToBase64String(blob);
    }

    /// <summary>The first instant of the year (to the quarter hour) at which daylight saving time starts or ends, or null.</summary>
    private static DateTimeOffset? Transition(TimeZoneInfo zone, DateTimeOffset yearStart, bool toDaylight)
    {
        var days = DateTime.IsLeapYear(yearStart.Year) ? 366 : 365;
        for (var day = 0; day < days; day++)
        {
            var (from, to) = (yearStart.AddDays(day), yearStart.AddDays(day + 1));
            if (zone.IsDaylightSavingTime(from) == toDaylight || zone.IsDaylightSavingTime(to) != toDaylight)
                continue;
            for (var instant = from; instant < to; instant = instant.AddMinutes(15))
            {
                if (zone.IsDaylightSavingTime(instant.AddMinutes(15)) == toDaylight)
                    return instant.AddMinutes(15);
            }
        }
        return null;
    }

    private static void WriteName(Span<byte> target, string name)
    {
        var text = name.Length > 31 ? name[..31] : name;
        Encoding.Unicode.GetBytes(text, target);
    }

    /// <summary>A SYSTEMTIME as a recurring rule (wYear 0): month, day of week, week of the month (5 = last), and the local time of the change.</summary>
    private static void WriteDate(Span<byte> target, DateTime local)
    {
        var week = local.Day + 7 > DateTime.DaysInMonth(local.Year, local.Month) ? 5 : (local.Day - 1) / 7 + 1;
        ushort[] fields = [0, (ushort)local.Month, (ushort)local.DayOfWeek, (ushort)week, (ushort)local.Hour, (ushort)local.Minute, (ushort)local.Second, 0];
        for (var i = 0; i < fields.Length; i++)
            BinaryPrimitives.WriteUInt16LittleEndian(target.Slice(i * 2, 2), fields[i]);
    }
}
