using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SyncServer.Protocols.VCard;

namespace SyncServer.Protocols.CalDav;

/// <summary>
/// What an attendee's copy needs of an organizer's iTIP message beyond the basics: its version (SEQUENCE, DTSTAMP, RFC 5546
/// §2.1.5), its instances (overridden components by RECURRENCE-ID), an update or cancellation of single instances merged into
/// the stored copy, and the schedule tag (RFC 6638 §3.2.10).
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

    /// <summary>A line of an overridden instance whose RECURRENCE-ID is in <paramref name="ids"/>.</summary>
    private bool InInstance(Line line, IReadOnlySet<string> ids)
        => line.Component >= 0 && _overrides.Contains(line.Component)
           && _lines.Any(l => l.Component == line.Component && l.Depth == 2 && l.Property.Is("RECURRENCE-ID") && ids.Contains(l.Property.RawValue.Trim()));
}
