using System.Globalization;
using System.Text;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using SyncServer.Protocols.Dav;

namespace SyncServer.Protocols.CalDav;

/// <summary>A busy period of free-busy time (RFC 5545 §3.2.9 FBTYPE: BUSY or BUSY-TENTATIVE), in UTC.</summary>
public sealed record BusyPeriod(DateTimeOffset Start, DateTimeOffset End, string Type);

/// <summary>Server-made iCalendar text: expanded instances (RFC 4791 §9.6.5) and free-busy answers (§7.10).</summary>
public static class CalendarData
{
    /// <summary>
    /// The object with its recurrence expanded into one component per instance overlapping <paramref name="range"/>, each
    /// with a UTC RECURRENCE-ID and DTSTART and no RRULE, RDATE or EXDATE. VTIMEZONEs are dropped (all times are UTC).
    /// </summary>
    public static string Expand(CalendarObject calendarObject, TimeRange range)
    {
        var calendar = new Ical.Net.Calendar();
        calendar.ProductId = "-//SyncServer//CalDAV//EN";
        foreach (var instance in calendarObject.Instances(range.Start, range.End))
        {
            var copy = instance.Source.Copy<RecurringComponent>()!;
            var originalStart = instance.Source.DtStart;
            var recurring = calendarObject.IsRecurring;
            copy.RecurrenceRule = null;
            copy.Properties.Remove("EXRULE");
            copy.Properties.Remove("RDATE");
            copy.Properties.Remove("EXDATE");
            var allDay = originalStart is { HasTime: false };
            copy.DtStart = allDay ? new CalDateTime(DateOnly.FromDateTime(instance.Start.UtcDateTime)) : new CalDateTime(instance.Start.UtcDateTime, "UTC");
            if (copy is CalendarEvent evt && evt.DtEnd is not null)
                evt.DtEnd = allDay ? new CalDateTime(DateOnly.FromDateTime(instance.End.UtcDateTime)) : new CalDateTime(instance.End.UtcDateTime, "UTC");
            if (recurring)
            {
                var id = instance.Source.RecurrenceIdentifier is { } r ? CalendarObject.Utc(r.StartTime) : instance.Start;
                copy.RecurrenceIdentifier = new RecurrenceIdentifier(allDay ? new CalDateTime(DateOnly.FromDateTime(id.UtcDateTime)) : new CalDateTime(id.UtcDateTime, "UTC"), null);
            }
            calendar.Children.Add(copy);
        }
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    /// <summary>
    /// RFC 4791 §9.6.6 limit-recurrence-set: the stored text without the overridden components (those with a RECURRENCE-ID)
    /// that have nothing to do with <paramref name="range"/>. An override stays when its instance overlaps the range, when the
    /// instance it replaces started in it, or (RANGE=THISANDFUTURE) when it starts before the range ends. The master, the time
    /// zones and every kept component keep the client's bytes.
    /// </summary>
    public static string LimitRecurrenceSet(string text, CalendarObject calendarObject, TimeRange range)
    {
        var inRange = calendarObject.Instances(range.Start, range.End).Select(i => i.Source).ToHashSet(ReferenceEqualityComparer.Instance); // Ical.Net components compare by content
        var keep = calendarObject.Components.Select(c => c.RecurrenceIdentifier is not { } id || inRange.Contains(c) || Touches(id, range)).ToList();
        if (keep.All(k => k))
            return text;
        var result = new StringBuilder(text.Length);
        var (depth, index, dropping) = (0, -1, false);
        foreach (var line in Lines(text))
        {
            var trimmed = line.TrimEnd('\r', '\n');
            var begins = trimmed.StartsWith("BEGIN:", StringComparison.OrdinalIgnoreCase);
            if (begins && depth == 1 && string.Equals(trimmed[6..], calendarObject.Component, StringComparison.OrdinalIgnoreCase))
                dropping = !keep[++index];
            if (!dropping)
                result.Append(line);
            if (begins)
                depth++;
            else if (trimmed.StartsWith("END:", StringComparison.OrdinalIgnoreCase) && --depth == 1)
                dropping = false;
        }
        return result.ToString();
    }

    private static bool Touches(RecurrenceIdentifier id, TimeRange range)
    {
        var start = CalendarObject.Utc(id.StartTime);
        if (range.End is { } end && start >= end)
            return false;
        return id.Range == RecurrenceRange.ThisAndFuture || range.Start is not { } from || start >= from;
    }

    // The text's lines, each with its line break.
    private static IEnumerable<string> Lines(string text)
    {
        var start = 0;
        while (start < text.Length)
        {
            var newline = text.IndexOf('\n', start);
            var end = newline < 0 ? text.Length : newline + 1;
            yield return text[start..end];
            start = end;
        }
    }

    /// <summary>
    /// The busy time of <paramref name="objects"/> within <paramref name="range"/> (RFC 4791 §7.10): each opaque, not cancelled event
    /// instance, clipped to the range, as BUSY or (STATUS:TENTATIVE) BUSY-TENTATIVE; unsorted.
    /// </summary>
    public static List<BusyPeriod> BusyPeriods(IEnumerable<CalendarObject> objects, TimeRange range)
    {
        var busy = new List<BusyPeriod>();
        foreach (var calendarObject in objects.Where(o => o.Component == "VEVENT"))
        {
            foreach (var instance in calendarObject.Instances(range.Start, range.End))
            {
                var evt = (CalendarEvent)instance.Source;
                if (string.Equals(evt.Transparency, "TRANSPARENT", StringComparison.OrdinalIgnoreCase) || string.Equals(evt.Status, "CANCELLED", StringComparison.OrdinalIgnoreCase))
                    continue;
                var type = string.Equals(evt.Status, "TENTATIVE", StringComparison.OrdinalIgnoreCase) ? "BUSY-TENTATIVE" : "BUSY";
                var start = range.Start is { } s && instance.Start < s ? s : instance.Start;
                var end = range.End is { } e && instance.End > e ? e : instance.End;
                if (end > start)
                    busy.Add(new BusyPeriod(start, end, type));
            }
        }
        return busy;
    }

    /// <summary>
    /// A VFREEBUSY of the busy time of <paramref name="objects"/> in <paramref name="range"/> (transparent and cancelled events
    /// are free). With <paramref name="request"/> it is the iTIP REPLY (RFC 5546 §3.3.3) of <paramref name="attendee"/> to it.
    /// </summary>
    public static string FreeBusy(IEnumerable<CalendarObject> objects, TimeRange range, DateTimeOffset now, FreeBusyRequest? request = null, string? attendee = null)
    {
        var busy = BusyPeriods(objects, range);
        var text = new StringBuilder();
        text.Append("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//SyncServer//CalDAV//EN\r\n");
        if (request is not null)
            text.Append("METHOD:REPLY\r\n");
        text.Append("BEGIN:VFREEBUSY\r\n");
        if (request is not null)
        {
            if (request.Uid is { } uid)
                text.Append("UID:").Append(uid).Append("\r\n");
            text.Append("ORGANIZER:mailto:").Append(request.Organizer).Append("\r\n");
            text.Append("ATTENDEE:mailto:").Append(attendee).Append("\r\n");
        }
        text.Append("DTSTAMP:").Append(Format(now)).Append("\r\n");
        if (range.Start is { } from)
            text.Append("DTSTART:").Append(Format(from)).Append("\r\n");
        if (range.End is { } to)
            text.Append("DTEND:").Append(Format(to)).Append("\r\n");
        foreach (var period in busy.OrderBy(b => b.Start))
            text.Append("FREEBUSY;FBTYPE=").Append(period.Type).Append(':').Append(Format(period.Start)).Append('/').Append(Format(period.End)).Append("\r\n");
        text.Append("END:VFREEBUSY\r\nEND:VCALENDAR\r\n");
        return text.ToString();
    }

    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
