using System.Globalization;
using SyncServer.Protocols.Dav;
using SyncServer.Protocols.VCard;

namespace SyncServer.Protocols.CalDav;

/// <summary>
/// A free-busy request (iTIP VFREEBUSY with METHOD:REQUEST, RFC 5546 §3.3.2) as Apple Calendar and Thunderbird POST it to the
/// schedule outbox: who asks (ORGANIZER), about whom (ATTENDEEs), for which UTC range. Addresses are lower case, without mailto:.
/// </summary>
public sealed record FreeBusyRequest(string Organizer, IReadOnlyList<string> Attendees, TimeRange Range, string? Uid)
{
    public const int MaxAttendees = 100;

    public static FreeBusyRequest? TryParse(string text)
    {
        string? method = null, organizer = null, uid = null;
        DateTimeOffset? start = null, end = null;
        var attendees = new List<string>();
        var inFreeBusy = false;
        foreach (var (raw, unfolded) in ScheduledObject.LogicalLines(text))
        {
            if (unfolded.Trim().Length == 0)
                continue;
            if (VCardContentLine.Parse(unfolded.TrimStart('\uFEFF'), raw, out _) is not { } line)
                return null;
            var value = line.RawValue.Trim();
            if (line.Is("BEGIN") || line.Is("END"))
                inFreeBusy = line.Is("BEGIN") && value.Equals("VFREEBUSY", StringComparison.OrdinalIgnoreCase);
            else if (line.Is("METHOD"))
                method = value.ToUpperInvariant();
            else if (!inFreeBusy)
                continue;
            else if (line.Is("ORGANIZER"))
                organizer = ScheduledObject.AddressOf(value);
            else if (line.Is("ATTENDEE"))
                attendees.Add(ScheduledObject.AddressOf(value));
            else if (line.Is("UID"))
                uid = value;
            else if (line.Is("DTSTART"))
                start = Utc(value);
            else if (line.Is("DTEND"))
                end = Utc(value);
        }
        if (method != "REQUEST" || organizer is null || attendees.Count is 0 or > MaxAttendees || start is null || end is null || end <= start)
            return null;
        return new FreeBusyRequest(organizer, attendees.Distinct().ToList(), new TimeRange(start, end), uid);
    }

    /// <summary>A UTC date-time (<c>20261201T100000Z</c>); free-busy requests are in UTC (RFC 5546 §3.3.2).</summary>
    private static DateTimeOffset? Utc(string value)
        => DateTimeOffset.TryParseExact(value, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : null;
}
