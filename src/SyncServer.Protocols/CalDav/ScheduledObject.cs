using System.Globalization;
using System.Text;
using SyncServer.Protocols.VCard;

namespace SyncServer.Protocols.CalDav;

/// <summary>An ATTENDEE of a scheduled object: its address (lower case, without <c>mailto:</c>) and its PARTSTAT.</summary>
/// <param name="ScheduledByClient">SCHEDULE-AGENT=CLIENT (RFC 6638 §7.1): the client schedules this attendee, the server does not.</param>
public sealed record ScheduleAttendee(string Address, string PartStat, bool ScheduledByClient);

/// <summary>
/// A calendar object seen by scheduling (RFC 6638, iTIP RFC 5546): its ORGANIZER and ATTENDEEs, the iTIP messages made from
/// it (REQUEST, CANCEL, REPLY) and the changes implicit scheduling makes to stored copies (PARTSTAT, SCHEDULE-STATUS).
/// Worked on unfolded content lines (the vCard codec's line grammar is iCalendar's too), so every line the server does not
/// change keeps the client's bytes. Pure: each method returns new text.
/// </summary>
public sealed partial class ScheduledObject
{
    private static readonly string[] SchedulingComponents = ["VEVENT", "VTODO", "VJOURNAL"];

    /// <summary>Properties whose change makes the organizer's copy a new request (RFC 5546 §2.1.4: a rescheduling or a changed meaning).</summary>
    private static readonly string[] Significant =
        ["DTSTART", "DTEND", "DURATION", "DUE", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID", "SUMMARY", "LOCATION", "DESCRIPTION", "STATUS", "SEQUENCE"];

    /// <summary>One logical line: its raw text (physical lines with their breaks), the parsed property, its nesting depth, and the top component it is in (-1: the VCALENDAR itself).</summary>
    private sealed record Line(string Raw, VCardProperty Property, int Depth, int Component);

    private readonly List<Line> _lines;
    private readonly Dictionary<int, string> _components;
    private readonly HashSet<int> _overrides;

    private ScheduledObject(List<Line> lines, Dictionary<int, string> components, HashSet<int> overrides, string uid)
    {
        _lines = lines;
        _components = components;
        _overrides = overrides;
        Uid = uid;
        Method = lines.FirstOrDefault(l => l.Depth == 1 && l.Property.Is("METHOD"))?.Property.RawValue.Trim().ToUpperInvariant();
        var organizer = ComponentProperties("ORGANIZER").FirstOrDefault();
        Organizer = organizer is null ? null : AddressOf(organizer.Property.RawValue);
        OrganizerScheduledByClient = organizer is not null && IsClientScheduled(organizer.Property);
        Attendees = ComponentProperties("ATTENDEE")
            .OrderBy(l => _overrides.Contains(l.Component) ? 1 : 0)
            .Select(l => new ScheduleAttendee(AddressOf(l.Property.RawValue), PartStatOf(l.Property), IsClientScheduled(l.Property)))
            .Where(a => a.Address.Length > 0)
            .DistinctBy(a => a.Address)
            .ToList();
    }

    public string Uid { get; }

    /// <summary>METHOD of an iTIP message (REQUEST, REPLY, CANCEL…), null for a stored calendar object.</summary>
    public string? Method { get; }

    /// <summary>The organizer's address (lower case, without <c>mailto:</c>), or null when the object is not scheduled.</summary>
    public string? Organizer { get; }

    public bool OrganizerScheduledByClient { get; }

    /// <summary>Every attendee once (the master component's PARTSTAT first), the organizer included when listed.</summary>
    public IReadOnlyList<ScheduleAttendee> Attendees { get; }

    /// <summary>The SUMMARY of the first component, unescaped, for a mail subject.</summary>
    public string Summary => ComponentProperties("SUMMARY").FirstOrDefault()?.Property.GetText() ?? "";

    /// <summary>
    /// The properties that matter to attendees, in order: when this differs between two versions of the organizer's copy, the
    /// attendees get a new REQUEST; a change of PARTSTAT, SCHEDULE-STATUS, DTSTAMP or an alarm does not.
    /// </summary>
    public string Fingerprint => string.Join("\n", _lines.Where(l => l.Depth == 2 && Significant.Any(l.Property.Is))
        .Select(l => l.Component + ":" + VCardWriter.FormatLine(l.Property)));

    /// <summary>Parses any VCALENDAR (METHOD allowed) whose scheduling components share one UID; null otherwise.</summary>
    public static ScheduledObject? TryParse(string text)
    {
        var lines = new List<Line>();
        var components = new Dictionary<int, string>();
        var overrides = new HashSet<int>();
        var stack = new Stack<string>();
        var component = -1;
        var uids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (raw, unfolded) in LogicalLines(text))
        {
            if (unfolded.Trim().Length == 0)
                continue;
            var property = VCardContentLine.Parse(unfolded.TrimStart('\uFEFF'), raw, out _);
            if (property is null)
                return null;
            int depth;
            if (property.Is("BEGIN"))
            {
                depth = stack.Count;
                if (depth == 1)
                {
                    component = components.Count;
                    components[component] = property.RawValue.Trim().ToUpperInvariant();
                }
                stack.Push(property.RawValue.Trim().ToUpperInvariant());
            }
            else if (property.Is("END"))
            {
                if (stack.Count == 0 || stack.Pop() != property.RawValue.Trim().ToUpperInvariant())
                    return null;
                depth = stack.Count;
            }
            else
            {
                depth = stack.Count;
                if (depth == 0)
                    return null;
            }
            var isMarker = property.Is("BEGIN") || property.Is("END");
            var inComponent = depth >= 2 || (depth == 1 && isMarker) ? component : -1;
            lines.Add(new Line(raw, property, depth, inComponent));
            if (depth == 2 && !isMarker && SchedulingComponents.Contains(components[component]))
            {
                if (property.Is("UID"))
                    uids.Add(property.RawValue.Trim());
                else if (property.Is("RECURRENCE-ID"))
                    overrides.Add(component);
            }
        }
        if (stack.Count != 0 || lines.Count == 0 || !lines[0].Property.Is("BEGIN") || lines[0].Property.RawValue.Trim().ToUpperInvariant() != "VCALENDAR")
            return null;
        if (uids.Count != 1 || !components.Values.Any(SchedulingComponents.Contains))
            return null;
        return new ScheduledObject(lines, components, overrides, uids.Single());
    }

    /// <summary>The address of a <c>mailto:</c> calendar user address, lower case; other URIs as they are.</summary>
    public static string AddressOf(string calAddress)
    {
        var value = calAddress.Trim();
        if (value.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
            value = value[7..];
        return value.ToLowerInvariant();
    }

    /// <summary>The PARTSTAT of <paramref name="address"/> (NEEDS-ACTION when not given), or null when it is not an attendee.</summary>
    public string? PartStatOf(string address) => Attendees.FirstOrDefault(a => a.Address == address)?.PartStat;

    /// <summary>
    /// The iTIP REQUEST (RFC 5546 §3.2.2) of the organizer's copy: METHOD:REQUEST, and
    /// the scheduling parameters that are only for the server removed (RFC 6638 §3.2: SCHEDULE-AGENT, SCHEDULE-STATUS, SCHEDULE-FORCE-SEND).
    /// </summary>
    public string Request() => WithMethod("REQUEST", Rewrite(l => [Outgoing(l.Property)]));

    /// <summary>The iTIP CANCEL (RFC 5546 §3.2.5): STATUS:CANCELLED, SEQUENCE raised, and only the attendees being cancelled listed.</summary>
    public string Cancel(IReadOnlyCollection<string> attendees)
        => WithMethod("CANCEL", Rewrite(l => l.Depth == 2 && l.Property.Is("ATTENDEE") && !attendees.Contains(AddressOf(l.Property.RawValue))
            ? []
            : l.Depth == 2 && l.Property.Is("STATUS") ? [l.Property.WithRawValue("CANCELLED")]
            : l.Depth == 2 && l.Property.Is("SEQUENCE") ? [l.Property.WithRawValue(NextSequence(l.Property))]
            : [Outgoing(l.Property)], cancelled: true));

    /// <summary>
    /// The iTIP REPLY (RFC 5546 §3.2.3) of <paramref name="attendee"/>: METHOD:REPLY with that attendee alone in each component,
    /// alarms left out.
    /// </summary>
    public string Reply(string attendee)
        => WithMethod("REPLY", Rewrite(l => l.Depth == 2 && l.Property.Is("ATTENDEE") && AddressOf(l.Property.RawValue) != attendee
            ? []
            : InAlarm(l) ? [] : [Outgoing(l.Property)]));

    /// <summary>The object as stored in a calendar: without METHOD (RFC 4791 §4.1).</summary>
    public string AsCalendarObject() => Rewrite(l => l.Depth == 1 && l.Property.Is("METHOD") ? [] : [l.Property]);

    /// <summary>An attendee's copy cancelled by the organizer: STATUS:CANCELLED (added when absent), without METHOD.</summary>
    public string Cancelled() => Rewrite(l => l.Depth == 1 && l.Property.Is("METHOD") ? []
        : l.Depth == 2 && l.Property.Is("STATUS") ? [l.Property.WithRawValue("CANCELLED")]
        : [l.Property], cancelled: true);

    /// <summary>
    /// This copy with <paramref name="attendee"/>'s PARTSTAT set to <paramref name="partStat"/> in every component, and its
    /// SCHEDULE-STATUS set when <paramref name="scheduleStatus"/> is given (the organizer's copy after a reply).
    /// </summary>
    public string WithPartStat(string attendee, string partStat, string? scheduleStatus = null)
        => Rewrite(l => l.Depth == 2 && l.Property.Is("ATTENDEE") && AddressOf(l.Property.RawValue) == attendee
            ? [SetParameter(SetParameter(l.Property, "PARTSTAT", partStat), "SCHEDULE-STATUS", scheduleStatus)]
            : [l.Property]);

    /// <summary>The organizer's copy with a SCHEDULE-STATUS (RFC 6638 §3.2.9) on each attendee that has one in <paramref name="statuses"/>.</summary>
    public string WithScheduleStatus(IReadOnlyDictionary<string, string> statuses)
        => Rewrite(l => l.Depth == 2 && l.Property.Is("ATTENDEE") && statuses.TryGetValue(AddressOf(l.Property.RawValue), out var status)
            ? [SetParameter(l.Property, "SCHEDULE-STATUS", status)]
            : [l.Property]);

    /// <summary>
    /// The organizer's version as <paramref name="attendee"/>'s copy: no METHOD, no scheduling parameters, and the attendee's
    /// own PARTSTAT of <paramref name="previous"/> (their current copy) kept, so a rescheduling does not lose their answer.
    /// </summary>
    public string AsAttendeeCopy(string attendee, ScheduledObject? previous)
    {
        var copy = TryParse(Rewrite(l => l.Depth == 1 && l.Property.Is("METHOD") ? [] : [Outgoing(l.Property)]))!;
        return previous?.PartStatOf(attendee) is { } kept ? copy.WithPartStat(attendee, kept) : copy.Text;
    }

    /// <summary>The text as parsed (every line's raw bytes).</summary>
    public string Text => Rewrite(l => [l.Property]);

    private IEnumerable<Line> ComponentProperties(string name)
        => _lines.Where(l => l.Depth == 2 && l.Component >= 0 && SchedulingComponents.Contains(_components[l.Component]) && l.Property.Is(name));

    /// <summary>A line of a component nested in a scheduling component (VALARM), its BEGIN and END included.</summary>
    private static bool InAlarm(Line line) => line.Depth >= 3 || (line.Depth == 2 && (line.Property.Is("BEGIN") || line.Property.Is("END")));

    private static string PartStatOf(VCardProperty attendee) => (attendee.GetParameter("PARTSTAT") ?? "NEEDS-ACTION").ToUpperInvariant();

    private static bool IsClientScheduled(VCardProperty property)
        => string.Equals(property.GetParameter("SCHEDULE-AGENT"), "CLIENT", StringComparison.OrdinalIgnoreCase)
           || string.Equals(property.GetParameter("SCHEDULE-AGENT"), "NONE", StringComparison.OrdinalIgnoreCase);

    private static VCardProperty Outgoing(VCardProperty property)
        => property.Is("ATTENDEE") || property.Is("ORGANIZER")
            ? SetParameter(SetParameter(SetParameter(property, "SCHEDULE-AGENT", null), "SCHEDULE-STATUS", null), "SCHEDULE-FORCE-SEND", null)
            : property;

    /// <summary>Sets (or with null removes) one parameter; the property is returned unchanged (same instance) when nothing changes.</summary>
    private static VCardProperty SetParameter(VCardProperty property, string name, string? value)
    {
        var current = property.Parameters.Where(p => p.Is(name)).ToList();
        if (value is null ? current.Count == 0 : current.Count == 1 && current[0].Values.Count == 1 && current[0].Values[0] == value)
            return property;
        var parameters = property.Parameters.Where(p => !p.Is(name)).ToList();
        if (value is not null)
            parameters.Add(new VCardParameter(name, value));
        return property.WithParameters(parameters);
    }

    private static string NextSequence(VCardProperty sequence)
        => ((int.TryParse(sequence.RawValue.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0) + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes the lines through <paramref name="map"/>: a property returned as the same instance keeps its raw bytes, a changed
    /// one is formatted and folded afresh. With <paramref name="cancelled"/>, a scheduling component without STATUS gets STATUS:CANCELLED.
    /// </summary>
    private string Rewrite(Func<Line, IEnumerable<VCardProperty>> map, bool cancelled = false)
    {
        var text = new StringBuilder();
        var hasStatus = _lines.Where(l => l.Depth == 2 && l.Property.Is("STATUS")).Select(l => l.Component).ToHashSet();
        foreach (var line in _lines)
        {
            if (cancelled && line.Depth == 1 && line.Property.Is("END") && line.Component >= 0
                && SchedulingComponents.Contains(_components[line.Component]) && !hasStatus.Contains(line.Component))
                VCardWriter.AppendFolded(text, "STATUS:CANCELLED");
            foreach (var property in map(line))
            {
                if (ReferenceEquals(property, line.Property))
                    text.Append(line.Raw.EndsWith('\n') ? line.Raw : line.Raw + "\r\n");
                else
                    VCardWriter.AppendFolded(text, VCardWriter.FormatLine(property));
            }
        }
        return text.ToString();
    }

    /// <summary>Puts <c>METHOD:<paramref name="method"/></c> right after BEGIN:VCALENDAR (replacing any METHOD).</summary>
    private static string WithMethod(string method, string text)
    {
        var parsed = TryParse(text)!;
        var result = new StringBuilder();
        foreach (var line in parsed._lines)
        {
            if (line.Depth == 1 && line.Property.Is("METHOD"))
                continue;
            result.Append(line.Raw.EndsWith('\n') ? line.Raw : line.Raw + "\r\n");
            if (line.Depth == 0 && line.Property.Is("BEGIN"))
                result.Append("METHOD:").Append(method).Append("\r\n");
        }
        return result.ToString();
    }

    /// <summary>Logical lines: (the raw physical lines with their breaks, the unfolded text). A line starting with a space or tab continues the previous one.</summary>
    internal static IEnumerable<(string Raw, string Unfolded)> LogicalLines(string text)
    {
        var raw = new StringBuilder();
        var unfolded = new StringBuilder();
        var position = 0;
        while (position < text.Length)
        {
            var end = text.IndexOf('\n', position);
            var next = end < 0 ? text.Length : end + 1;
            var physical = text[position..next];
            var content = physical.TrimEnd('\n').TrimEnd('\r');
            if (content.Length > 0 && content[0] is ' ' or '\t' && raw.Length > 0)
            {
                raw.Append(physical);
                unfolded.Append(content, 1, content.Length - 1);
            }
            else
            {
                if (raw.Length > 0)
                    yield return (raw.ToString(), unfolded.ToString());
                raw.Clear().Append(physical);
                unfolded.Clear().Append(content);
            }
            position = next;
        }
        if (raw.Length > 0)
            yield return (raw.ToString(), unfolded.ToString());
    }
}
