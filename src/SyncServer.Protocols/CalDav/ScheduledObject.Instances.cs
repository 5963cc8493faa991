using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SyncServer.Protocols.VCard;

namespace SyncServer.Protocols.CalDav;

/// <summary>
/// Scheduling beyond the whole object: a message's version (SEQUENCE, DTSTAMP, RFC 5546 §2.1.5), its instances (overridden
/// components by RECURRENCE-ID), an organizer's update or cancellation of single instances merged into an attendee's copy, an
/// attendee's answer to single instances (their REPLY, and its place in the organizer's copy), and the schedule tag (RFC 6638 §3.2.10).
/// </summary>
public sealed partial class ScheduledObject
{
    /// <summary>The highest SEQUENCE of its scheduling components (0 when none is given).</summary>
    public int Sequence => ComponentProperties("SEQUENCE")
        .Select(l => int.TryParse(l.Property.RawValue.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
        .DefaultIfEmpty(0).Max();

    /// <summary>The latest DTSTAMP of its scheduling components as written (UTC basic format, so ordinal order is time order), or "".</summary>
    public string DtStamp => ComponentProperties("DTSTAMP").Select(l => l.Property.RawValue.Trim()).DefaultIfEmpty("").Max(StringComparer.Ordinal)!;

    /// <summary>Whether it has a component without RECURRENCE-ID (the master, or a single event); false for an update of single instances.</summary>
    public bool HasMaster => _components.Any(c => SchedulingComponents.Contains(c.Value) && !_overrides.Contains(c.Key));

    /// <summary>The RECURRENCE-ID values of its overridden instances.</summary>
    public IReadOnlyList<string> InstanceIds => ComponentProperties("RECURRENCE-ID").Select(l => l.Property.RawValue.Trim()).ToList();

    /// <summary>
    /// RFC 5546 §2.1.5: whether this message is older than <paramref name="stored"/> (a lower SEQUENCE, or the same SEQUENCE and
    /// an earlier DTSTAMP), so it must not replace it.
    /// </summary>
    public bool IsOlderThan(ScheduledObject stored)
        => Sequence < stored.Sequence || (Sequence == stored.Sequence && string.CompareOrdinal(DtStamp, stored.DtStamp) < 0);

    /// <summary>
    /// This copy with the overridden instances of <paramref name="update"/> (a message without master) in place of its own with
    /// the same RECURRENCE-ID, the others kept.
    /// </summary>
    public string WithInstancesOf(ScheduledObject update)
    {
        var replaced = update.InstanceIds.ToHashSet(StringComparer.Ordinal);
        var added = update._lines.Where(l => l.Component >= 0 && update._overrides.Contains(l.Component)).Select(l => l.Property).ToList();
        return Rewrite(l => InInstance(l, replaced) ? []
            : l.Depth == 0 && l.Property.Is("END") ? [.. added, l.Property]
            : [l.Property]);
    }

    /// <summary>
    /// This copy without the instances whose RECURRENCE-ID is in <paramref name="instanceIds"/>: their overrides removed and an
    /// EXDATE for each added to the master (RFC 5546 §3.2.5, a CANCEL of single instances).
    /// </summary>
    public string WithoutInstances(IReadOnlyCollection<string> instanceIds)
    {
        var ids = instanceIds.ToHashSet(StringComparer.Ordinal);
        var exdates = _lines.Where(l => l.Depth == 2 && l.Property.Is("RECURRENCE-ID") && ids.Contains(l.Property.RawValue.Trim()))
            .Select(l => l.Property.WithName("EXDATE").WithParameters(l.Property.Parameters.Where(p => !p.Is("RANGE"))))
            .ToList();
        var known = exdates.Select(e => e.RawValue.Trim()).ToHashSet(StringComparer.Ordinal);
        exdates.AddRange(ids.Where(id => !known.Contains(id)).Select(id => new VCardProperty(null, "EXDATE", [], id)));
        var master = _components.Where(c => SchedulingComponents.Contains(c.Value) && !_overrides.Contains(c.Key)).Select(c => c.Key).FirstOrDefault(-1);
        return Rewrite(l => InInstance(l, ids) ? []
            : l.Depth == 1 && l.Component == master && l.Property.Is("END") ? [.. exdates, l.Property]
            : [l.Property]);
    }

    /// <summary>
    /// The schedule tag (RFC 6638 §3.2.10) of a stored scheduling object: a digest of what the organizer schedules — the
    /// significant properties (<see cref="Fingerprint"/>), the organizer and the attendees' addresses — so it changes when the
    /// organizer's change is scheduled, never with an attendee's PARTSTAT, a SCHEDULE-STATUS, a DTSTAMP or an alarm.
    /// </summary>
    public string ScheduleTag
    {
        get
        {
            var scheduled = string.Join("\n", [Fingerprint, Organizer ?? "", .. Attendees.Select(a => a.Address)]);
            return "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scheduled)).AsSpan(0, 12)) + "\"";
        }
    }

    /// <summary>The PARTSTAT of <paramref name="attendee"/> in each component that lists them: under "" for the master, under the RECURRENCE-ID value for an override.</summary>
    public IReadOnlyDictionary<string, string> PartStatsByInstance(string attendee)
    {
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in ComponentProperties("ATTENDEE").Where(l => AddressOf(l.Property.RawValue) == attendee))
            answers.TryAdd(InstanceIdOf(line.Component), PartStatOf(line.Property));
        return answers;
    }

    /// <summary>
    /// The instances whose PARTSTAT of <paramref name="attendee"/> differs from <paramref name="previous"/> (an override not there
    /// before is compared with the previous master): "" when the master's answer changed.
    /// </summary>
    public IReadOnlySet<string> AnswerChanges(string attendee, ScheduledObject? previous)
    {
        var before = previous?.PartStatsByInstance(attendee) ?? new Dictionary<string, string>();
        var master = before.GetValueOrDefault("", "NEEDS-ACTION");
        return PartStatsByInstance(attendee).Where(a => a.Value != before.GetValueOrDefault(a.Key, master)).Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The REPLY of <paramref name="attendee"/> for some overridden instances only (RFC 5546 §3.2.3: one component per instance, with its RECURRENCE-ID).</summary>
    public string Reply(string attendee, IReadOnlySet<string> instances)
    {
        var reply = TryParse(Reply(attendee))!;
        return reply.Rewrite(l => l.Component >= 0 && SchedulingComponents.Contains(reply._components[l.Component]) && !instances.Contains(reply.InstanceIdOf(l.Component))
            ? []
            : [l.Property]);
    }

    /// <summary>
    /// The organizer's copy with <paramref name="reply"/> of <paramref name="attendee"/> applied (RFC 6638 §3.2.10): a reply for the
    /// master sets their PARTSTAT in every component, one for an instance only in that instance's override — made from the
    /// master (recurrence rules left out, DTSTART at the RECURRENCE-ID, DTEND moved with it) when the organizer has none.
    /// </summary>
    public string WithReply(string attendee, ScheduledObject reply, string? scheduleStatus)
    {
        var answers = reply.PartStatsByInstance(attendee);
        var current = answers.TryGetValue("", out var all) ? TryParse(WithPartStat(attendee, all, scheduleStatus))! : this;
        foreach (var (instance, partStat) in answers.Where(a => a.Key.Length > 0))
            current = TryParse(current.WithInstancePartStat(attendee, instance, partStat, scheduleStatus, reply))!;
        return current.Text;
    }

    private string WithInstancePartStat(string attendee, string instance, string partStat, string? scheduleStatus, ScheduledObject reply)
    {
        VCardProperty Answer(VCardProperty property) => SetParameter(SetParameter(property, "PARTSTAT", partStat), "SCHEDULE-STATUS", scheduleStatus);
        bool IsTheAttendee(Line l) => l.Depth == 2 && l.Property.Is("ATTENDEE") && AddressOf(l.Property.RawValue) == attendee;
        var existing = _overrides.FirstOrDefault(c => InstanceIdOf(c) == instance, -1);
        if (existing >= 0)
            return Rewrite(l => l.Component == existing && IsTheAttendee(l) ? [Answer(l.Property)] : [l.Property]);
        var master = _components.Where(c => SchedulingComponents.Contains(c.Value) && !_overrides.Contains(c.Key)).Select(c => c.Key).FirstOrDefault(-1);
        var recurrenceId = reply._lines.FirstOrDefault(l => l.Depth == 2 && l.Property.Is("RECURRENCE-ID") && l.Property.RawValue.Trim() == instance)?.Property;
        var start = _lines.FirstOrDefault(l => l.Component == master && l.Depth == 2 && l.Property.Is("DTSTART"))?.Property;
        if (master < 0 || recurrenceId is null || start is null)
            return Text;
        var added = new List<VCardProperty>();
        foreach (var line in _lines.Where(l => l.Component == master))
        {
            if (line.Depth == 2 && (line.Property.Is("RRULE") || line.Property.Is("RDATE") || line.Property.Is("EXDATE") || line.Property.Is("EXRULE")))
                continue;
            if (line.Depth == 2 && line.Property.Is("DTSTART"))
                added.AddRange([recurrenceId.WithName("DTSTART").WithParameters(recurrenceId.Parameters.Where(p => !p.Is("RANGE"))), recurrenceId]);
            else if (line.Depth == 2 && line.Property.Is("DTEND"))
                added.AddRange(ShiftedEnd(start, line.Property, instance) is { } end ? [end] : []);
            else
                added.Add(IsTheAttendee(line) ? Answer(line.Property) : line.Property);
        }
        return Rewrite(l => l.Depth == 1 && l.Component == master && l.Property.Is("END") ? [l.Property, .. added] : [l.Property]);
    }

    private static readonly string[] DateFormats = ["yyyyMMdd'T'HHmmss'Z'", "yyyyMMdd'T'HHmmss", "yyyyMMdd"];

    /// <summary>The master's DTEND moved to the instance starting at <paramref name="instance"/> (same duration), or null when a value is not a plain DATE or DATE-TIME.</summary>
    private static VCardProperty? ShiftedEnd(VCardProperty start, VCardProperty end, string instance)
    {
        static bool TryRead(string value, out DateTime time, out string format)
        {
            foreach (var candidate in DateFormats)
            {
                if (DateTime.TryParseExact(value.Trim(), candidate, CultureInfo.InvariantCulture, DateTimeStyles.None, out time))
                {
                    format = candidate;
                    return true;
                }
            }
            (time, format) = (default, "");
            return false;
        }
        return TryRead(start.RawValue, out var from, out _) && TryRead(end.RawValue, out var to, out var endFormat) && TryRead(instance, out var at, out _)
            ? end.WithRawValue((at + (to - from)).ToString(endFormat, CultureInfo.InvariantCulture))
            : null;
    }

    private string InstanceIdOf(int component)
        => _lines.FirstOrDefault(l => l.Component == component && l.Depth == 2 && l.Property.Is("RECURRENCE-ID"))?.Property.RawValue.Trim() ?? "";

    /// <summary>A line of an overridden instance whose RECURRENCE-ID is in <paramref name="ids"/>.</summary>
    private bool InInstance(Line line, IReadOnlySet<string> ids)
        => line.Component >= 0 && _overrides.Contains(line.Component)
           && _lines.Any(l => l.Component == line.Component && l.Depth == 2 && l.Property.Is("RECURRENCE-ID") && ids.Contains(l.Property.RawValue.Trim()));
}
