using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Ical.Net;
using NodaTime;

namespace SyncServer.Protocols.CalDav;

/// <summary>
/// Custom time zones (RFC 5545 §3.6.5): a TZID that is neither an IANA nor a Windows name (Outlook writes e.g.
/// "(UTC+01:00) Amsterdam, Berlin, …") is defined only by its VTIMEZONE, whose body Ical.Net does not read. For evaluation
/// only, such a TZID is replaced by the IANA zone whose offsets match the VTIMEZONE's observances (yearly BYMONTH/BYDAY rules or a
/// fixed offset) over two years; the stored bytes stay the client's. A VTIMEZONE without a match is left as it is.
/// </summary>
public static partial class VTimeZoneEquivalents
{
    private static readonly ConcurrentDictionary<string, string?> Equivalents = new(StringComparer.Ordinal);
    private static readonly int[] SampleYears = [2025, 2026];
    private const int MaxRemembered = 1000;

    /// <summary>The text to evaluate: <paramref name="text"/> with each unresolvable TZID that has a matching IANA zone renamed to it.</summary>
    public static string ForEvaluation(string text)
    {
        if (!text.Contains("BEGIN:VTIMEZONE", StringComparison.OrdinalIgnoreCase))
            return text;
        var unfolded = text.Replace("\r\n ", "", StringComparison.Ordinal).Replace("\r\n\t", "", StringComparison.Ordinal);
        foreach (Match block in VTimeZoneBlock().Matches(unfolded))
        {
            var body = block.Value;
            if (TzIdLine().Match(body) is not { Success: true } tzidLine)
                continue;
            var tzid = tzidLine.Groups[1].Value.Trim();
            if (tzid.Length == 0 || IsKnown(tzid))
                continue;
            if (Equivalents.Count > MaxRemembered)
                Equivalents.Clear(); // bounded: a client can send any number of distinct definitions
            if (Equivalents.GetOrAdd(body, Equivalent) is not { } iana)
                continue;
            text = text.Replace("TZID:" + tzid + "\r\n", "TZID:" + iana + "\r\n", StringComparison.Ordinal)
                .Replace("TZID=\"" + tzid + "\"", "TZID=" + iana, StringComparison.Ordinal)
                .Replace("TZID=" + tzid + ":", "TZID=" + iana + ":", StringComparison.Ordinal)
                .Replace("TZID=" + tzid + ";", "TZID=" + iana + ";", StringComparison.Ordinal);
        }
        return text;
    }

    /// <summary>
    /// Whether Ical.Net resolves the TZID itself: an IANA or Windows name. It throws for others, except that a name merely
    /// containing "UTC" (Outlook's "(UTC+01:00) Amsterdam, …") resolves to UTC, which is then not taken as known.
    /// </summary>
    private static bool IsKnown(string tzid)
    {
        try
        {
            return TimeZoneResolvers.Default(tzid) is { } zone && (zone.Id != "UTC" || tzid is "UTC" or "Etc/UTC" or "GMT" or "Etc/GMT");
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The first IANA zone (by id) whose UTC offset equals the VTIMEZONE's at every sampled instant, or null.</summary>
    private static string? Equivalent(string vtimezone)
    {
        var observances = ObservanceBlock().Matches(vtimezone).Select(Observance.TryRead).OfType<Observance>().ToList();
        if (observances.Count == 0 || observances.Any(o => o.Rule is null) && observances.Count > 1)
            return null;
        var transitions = SampleYears.Prepend(SampleYears[0] - 1).SelectMany(y => observances.Select(o => (At: o.TransitionIn(y), o.OffsetFrom, o.OffsetTo)))
            .Where(t => t.At is not null).Select(t => (At: t.At!.Value, t.OffsetFrom, t.OffsetTo)).OrderBy(t => t.At).ToList();
        var samples = SampleYears.SelectMany(y => Enumerable.Range(1, 12).Select(m => Instant.FromUtc(y, m, 15, 12, 0)))
            .Concat(transitions.SelectMany(t => new[] { t.At - Duration.FromHours(2), t.At + Duration.FromHours(2) })).ToList();
        Offset Expected(Instant at)
        {
            var last = transitions.FindLastIndex(t => t.At <= at);
            return last >= 0 ? transitions[last].OffsetTo : transitions.Count > 0 ? transitions[0].OffsetFrom : observances[0].OffsetTo;
        }
        var provider = DateTimeZoneProviders.Tzdb;
        return provider.Ids.Where(id => id.Contains('/', StringComparison.Ordinal) && !id.StartsWith("Etc/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .FirstOrDefault(id => samples.All(at => provider[id].GetUtcOffset(at) == Expected(at)));
    }

    /// <summary>One STANDARD or DAYLIGHT: its local start time, offsets and yearly rule (BYMONTH with one BYDAY such as -1SU), if any.</summary>
    private sealed record Observance(LocalDateTime Start, Offset OffsetFrom, Offset OffsetTo, (int Month, int Week, IsoDayOfWeek Day)? Rule)
    {
        public static Observance? TryRead(Match match)
        {
            var body = match.Value;
            if (Property(body, "DTSTART") is not { } start || !TryLocal(start, out var local)
                || Property(body, "TZOFFSETFROM") is not { } from || Property(body, "TZOFFSETTO") is not { } to
                || ParseOffset(from) is not { } offsetFrom || ParseOffset(to) is not { } offsetTo)
                return null;
            if (Property(body, "RRULE") is not { } rrule)
                return new Observance(local, offsetFrom, offsetTo, null);
            var parts = rrule.Split(';').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].ToUpperInvariant(), p => p[1].ToUpperInvariant());
            if (parts.GetValueOrDefault("FREQ") != "YEARLY" || !int.TryParse(parts.GetValueOrDefault("BYMONTH"), out var month)
                || ByDay().Match(parts.GetValueOrDefault("BYDAY") ?? "") is not { Success: true } byDay)
                return null;
            var ordinal = byDay.Groups[1].Value.Length > 0 ? byDay.Groups[1].Value : parts.GetValueOrDefault("BYSETPOS") ?? "1";
            if (!int.TryParse(ordinal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var week))
                return null;
            var day = byDay.Groups[2].Value switch
            {
                "MO" => IsoDayOfWeek.Monday, "TU" => IsoDayOfWeek.Tuesday, "WE" => IsoDayOfWeek.Wednesday, "TH" => IsoDayOfWeek.Thursday,
                "FR" => IsoDayOfWeek.Friday, "SA" => IsoDayOfWeek.Saturday, _ => IsoDayOfWeek.Sunday,
            };
            return month is >= 1 and <= 12 && week is >= -1 and <= 5 and not 0 ? new Observance(local, offsetFrom, offsetTo, (month, week, day)) : null;
        }

        /// <summary>When this observance begins in <paramref name="year"/> (UTC), or null when it does not (a one-off of another year).</summary>
        public Instant? TransitionIn(int year)
        {
            LocalDate date;
            if (Rule is not { } rule)
            {
                if (Start.Year != year)
                    return null;
                date = Start.Date;
            }
            else
            {
                var first = new LocalDate(year, rule.Month, 1);
                if (rule.Week > 0)
                {
                    date = first.With(DateAdjusters.NextOrSame(rule.Day)).PlusWeeks(rule.Week - 1);
                    if (date.Month != rule.Month)
                        date = date.PlusWeeks(-1); // "5th" means the last
                }
                else
                    date = first.With(DateAdjusters.EndOfMonth).With(DateAdjusters.PreviousOrSame(rule.Day));
            }
            return (date + Start.TimeOfDay).WithOffset(OffsetFrom).ToInstant();
        }
    }

    private static string? Property(string body, string name)
        => Regex.Match(body, "^" + name + @"(?:;[^:\r\n]*)?:([^\r\n]*)", RegexOptions.Multiline | RegexOptions.IgnoreCase) is { Success: true } m
            ? m.Groups[1].Value.Trim()
            : null;

    private static bool TryLocal(string value, out LocalDateTime local)
    {
        local = default;
        if (!DateTime.TryParseExact(value, "yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            return false;
        local = LocalDateTime.FromDateTime(parsed);
        return true;
    }

    private static Offset? ParseOffset(string value)
    {
        if (OffsetValue().Match(value) is not { Success: true } m)
            return null;
        var seconds = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) * 3600 + int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) * 60
            + (m.Groups[4].Success ? int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture) : 0);
        return Offset.FromSeconds(m.Groups[1].Value == "-" ? -seconds : seconds);
    }

    [GeneratedRegex(@"BEGIN:VTIMEZONE\r\n.*?END:VTIMEZONE", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex VTimeZoneBlock();

    [GeneratedRegex(@"^TZID(?:;[^:\r\n]*)?:([^\r\n]*)", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex TzIdLine();

    [GeneratedRegex(@"BEGIN:(STANDARD|DAYLIGHT)\r\n.*?END:\1", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ObservanceBlock();

    [GeneratedRegex(@"^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$")]
    private static partial Regex ByDay();

    [GeneratedRegex(@"^([+-])(\d{2})(\d{2})(\d{2})?$")]
    private static partial Regex OffsetValue();
}
