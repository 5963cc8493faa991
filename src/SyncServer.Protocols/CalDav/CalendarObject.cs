using System.Xml.Linq;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using SyncServer.Protocols.Dav;

namespace SyncServer.Protocols.CalDav;

/// <summary>One occurrence of a calendar component in UTC (an all-day or floating time is read as UTC).</summary>
public sealed record CalendarInstance(DateTimeOffset Start, DateTimeOffset End, RecurringComponent Source);

/// <summary>
/// A calendar object resource (RFC 4791 §4.1): one VCALENDAR holding components of one type with one UID (a master and
/// its overridden instances). Parsed with Ical.Net only to validate, index and evaluate; the stored bytes stay the client's.
/// </summary>
public sealed class CalendarObject
{
    private static readonly string[] ObjectComponents = ["VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY"];

    private CalendarObject(Calendar calendar, string component, string uid, IReadOnlyList<RecurringComponent> components)
    {
        Calendar = calendar;
        Component = component;
        Uid = uid;
        Components = components;
    }

    public Calendar Calendar { get; }

    /// <summary>VEVENT, VTODO, VJOURNAL or VFREEBUSY.</summary>
    public string Component { get; }

    public string Uid { get; }

    public IReadOnlyList<RecurringComponent> Components { get; }

    public bool IsRecurring => Components.Any(c => c.RecurrenceRule is not null || c.RecurrenceDates.GetAllDates().Any() || c.RecurrenceIdentifier is not null);

    /// <summary>Parses and checks the RFC 4791 §4.1 rules; on failure names the precondition (valid-calendar-data or valid-calendar-object-resource).</summary>
    public static CalendarObject? TryParse(string text, out XName? failedPrecondition)
    {
        failedPrecondition = DavNames.ValidCalendarData;
        Calendar? calendar;
        try
        {
            if (!text.TrimStart().StartsWith("BEGIN:VCALENDAR", StringComparison.OrdinalIgnoreCase))
                return null;
            calendar = Calendar.Load(VTimeZoneEquivalents.ForEvaluation(text));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null; // Ical.Net throws several exception types on malformed input
        }
        if (calendar is null)
            return null;
        failedPrecondition = DavNames.ValidCalendarObjectResource;
        var members = calendar.Children.OfType<CalendarComponent>().Where(c => ObjectComponents.Contains(c.Name?.ToUpperInvariant())).ToList();
        if (members.Count == 0 || calendar.Method is not null)
            return null;
        var kind = members[0].Name!.ToUpperInvariant();
        var uids = members.Select(m => (m as UniqueComponent)?.Uid).Distinct().ToList();
        if (members.Any(m => !string.Equals(m.Name, kind, StringComparison.OrdinalIgnoreCase)) || uids.Count != 1 || string.IsNullOrEmpty(uids[0]))
            return null;
        var recurring = members.OfType<RecurringComponent>().ToList();
        if (recurring.Count(c => c.RecurrenceIdentifier is null) > 1)
            return null;
        // RFC 5545 §3.6.1: without METHOD a VEVENT must have a DTSTART. Ical.Net reads an empty value as 0001-01-01.
        if (kind == "VEVENT" && recurring.Any(c => c.DtStart is null || c.DtStart.Value == DateTime.MinValue))
        {
            failedPrecondition = DavNames.ValidCalendarData;
            return null;
        }
        failedPrecondition = null;
        return new CalendarObject(calendar, kind, uids[0]!, recurring);
    }

    /// <summary>
    /// The time span of the recurrence set in UTC, for the store's index (time-range queries prefilter on it): the first start
    /// and, when the recurrence ends within <see cref="BoundedInstances"/> instances, the last end (else an open end). An object
    /// whose instances cannot be computed has no span (null, null): it is a candidate for every range, as the filter includes it.
    /// </summary>
    public (DateTimeOffset? Start, DateTimeOffset? End) Bounds()
    {
        try
        {
            var starts = Components.Select(c => StartOf(c)).Where(s => s is not null).Select(s => s!.Value).ToList();
            DateTimeOffset? start = starts.Count == 0 ? null : starts.Min();
            if (Components.Any(c => c.RecurrenceRule is { Count: null, Until: null }))
                return (start, null);
            var ends = Instances(null, null, BoundedInstances + 1).Select(i => i.End).ToList();
            return (start, ends.Count > BoundedInstances ? null : ends.Count == 0 ? start : ends.Max());
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return (null, null); // a time zone Ical.Net cannot resolve
        }
    }

    /// <summary>The most instances <see cref="Bounds"/> expands to find the last end.</summary>
    public const int BoundedInstances = 10_000;

    /// <summary>
    /// Occurrences (overrides applied, EXDATEs removed) that overlap [<paramref name="from"/>, <paramref name="to"/>),
    /// at most <paramref name="limit"/>. Open bounds are unbounded.
    /// </summary>
    public IEnumerable<CalendarInstance> Instances(DateTimeOffset? from, DateTimeOffset? to, int limit = 50_000)
    {
        IEnumerable<Occurrence> occurrences = Calendar.GetOccurrences(null, new Ical.Net.Evaluation.EvaluationOptions { MaxUnmatchedIncrementsLimit = 10_000 });
        if (to is { } end)
            occurrences = occurrences.TakeWhileBefore(new CalDateTime(end.UtcDateTime, "UTC"));
        var count = 0;
        foreach (var occurrence in occurrences)
        {
            if (occurrence.Source is not RecurringComponent source || !Components.Contains(source))
                continue;
            if (++count > limit)
                yield break;
            var start = Utc(occurrence.Period.StartTime);
            var finish = occurrence.Period.EffectiveEndTime is { } e ? Utc(e) : start;
            if (finish < start)
                finish = start;
            if (Overlaps(start, finish, from, to))
                yield return new CalendarInstance(start, finish, source);
        }
    }

    /// <summary>RFC 4791 §9.9: a period overlaps when it starts before the range ends and ends after it starts (an instant counts at the start).</summary>
    public static bool Overlaps(DateTimeOffset start, DateTimeOffset end, DateTimeOffset? from, DateTimeOffset? to)
    {
        var afterStart = from is not { } f || end > f || (end == start && start >= f);
        var beforeEnd = to is not { } t || start < t;
        return afterStart && beforeEnd;
    }

    public static DateTimeOffset Utc(CalDateTime value)
        => value.IsFloating || !value.HasTime
            ? new DateTimeOffset(DateTime.SpecifyKind(value.Value, DateTimeKind.Utc))
            : new DateTimeOffset(value.AsUtc, TimeSpan.Zero);

    private static DateTimeOffset? StartOf(RecurringComponent component)
        => component.DtStart is { } start ? Utc(start)
            : component is Todo { Due: { } due } ? Utc(due)
            : null;
}
