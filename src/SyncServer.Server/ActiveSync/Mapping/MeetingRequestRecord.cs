using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Xml.Linq;
using FrequencyType = Ical.Net.FrequencyType;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using MimeKit;
using SyncServer.Core.Mail;
using SyncServer.Core.Model;
using SyncServer.Protocols.ActiveSync.Http;
using SyncServer.Protocols.ActiveSync.Wbxml;
using SyncServer.Protocols.CalDav;
using SyncServer.Server.Scheduling;

namespace SyncServer.Server.ActiveSync.Mapping;

/// <summary>
/// A mail that carries an iTIP message (RFC 6047 iMIP: a <c>text/calendar</c> part) as ActiveSync shows it: its MessageClass
/// (<c>IPM.Schedule.Meeting.Request</c>, <c>.Canceled</c>, <c>.Resp.Pos/Neg/Tent</c>) and, for a REQUEST or CANCEL, the
/// <c>email:MeetingRequest</c> element (MS-ASEMAIL 2.2.2.48; client-requirements A.5.1) the client shows and answers with
/// MeetingResponse. Only a message whose stored structure has a calendar part is looked at, so ordinary mail costs nothing.
/// </summary>
public sealed class MeetingRequestRecord
{
    private static readonly XNamespace Email = ActiveSyncNamespaces.Email;
    private static readonly XNamespace Email2 = ActiveSyncNamespaces.Email2;

    /// <summary>The first 16 bytes of every Outlook GlobalObjectId (MS-OXOCAL 2.2.1.27 PidLidGlobalObjectId).</summary>
    private static readonly byte[] GlobalObjectIdPrefix = Convert.FromHexString("040000008200E00074C5B7101A82E008");

    private readonly CalendarObject? _calendar;
    private readonly DateTimeOffset _sent;

    private MeetingRequestRecord(ScheduledObject message, CalendarObject? calendar, DateTimeOffset sent)
    {
        Message = message;
        _calendar = calendar;
        _sent = sent;
    }

    /// <summary>The iTIP message as it came (METHOD included).</summary>
    public ScheduledObject Message { get; }

    /// <summary>The iTIP message of a stored mail, or null when it carries none (without parsing it unless its structure shows a calendar part).</summary>
    public static MeetingRequestRecord? Read(Item item, MimeMessage message)
    {
        // the JSON structure is only deserialized when the word is in it at all: an ordinary mail costs one substring search
        if (item.Mail?.MimeStructure is not { } json || !json.Contains("calendar", StringComparison.OrdinalIgnoreCase)
            || MessageStructure.Deserialize(json) is not { } structure || ImipReceiver.CalendarPart(structure.Body) is null)
            return null;
        foreach (var part in message.BodyParts.OfType<TextPart>().Where(p => p.ContentType.IsMimeType("text", "calendar")))
        {
            // MimeKit hands the decoded text with the line breaks of the platform: iCalendar's are CRLF (RFC 5545 §3.1)
            if (ScheduledObject.TryParse(part.Text.ReplaceLineEndings("\r\n")) is { Method: { } } scheduled)
                return new MeetingRequestRecord(scheduled, CalendarObject.TryParse(scheduled.AsCalendarObject(), out _),
                    message.Headers.Contains(HeaderId.Date) ? message.Date : item.InternalDate);
        }
        return null;
    }

    /// <summary>The MessageClass of a meeting mail, null when <paramref name="meeting"/> is null or its METHOD has none (the mail is then IPM.Note).</summary>
    public static string? MessageClass(MeetingRequestRecord? meeting) => meeting?.Message.Method switch
    {
        "REQUEST" => "IPM.Schedule.Meeting.Request",
        "CANCEL" => "IPM.Schedule.Meeting.Canceled",
        "REPLY" => meeting.Message.Attendees.FirstOrDefault()?.PartStat switch
        {
            "ACCEPTED" => "IPM.Schedule.Meeting.Resp.Pos",
            "DECLINED" => "IPM.Schedule.Meeting.Resp.Neg",
            "TENTATIVE" => "IPM.Schedule.Meeting.Resp.Tent",
            _ => null,
        },
        _ => null,
    };

    /// <summary>
    /// The <c>email:MeetingRequest</c> element of a REQUEST or CANCEL (null for other methods or an event it cannot read) as
    /// <paramref name="version"/> defines it: the location as <c>airsyncbase:Location</c> from 16.0, MeetingMessageType from 14.1.
    /// </summary>
    public XElement? Element(ActiveSyncVersion version)
    {
        if (Message.Method is not ("REQUEST" or "CANCEL") || _calendar?.Components.OfType<CalendarEvent>().ToList() is not [_, ..] events)
            return null;
        var meeting = events.FirstOrDefault(e => e.RecurrenceIdentifier is null) ?? events[0];
        if (meeting.DtStart is not { } dtStart)
            return null;
        var allDay = !dtStart.HasTime;
        var start = CalendarObject.Utc(dtStart);
        var end = meeting.DtEnd is { } dtEnd ? CalendarObject.Utc(dtEnd) : FirstEnd() ?? start.AddDays(allDay ? 1 : 0);
        var zone = allDay || dtStart.IsFloating || dtStart.TzId is null ? null : Zone(dtStart.TzId);
        return new XElement(Email + "MeetingRequest",
            new XElement(Email + "AllDayEvent", allDay ? 1 : 0),
            new XElement(Email + "StartTime", DateTime(start)),
            new XElement(Email + "DtStamp", DateTime(meeting.DtStamp is { } stamp ? CalendarObject.Utc(stamp) : _sent)),
            new XElement(Email + "EndTime", DateTime(end)),
            new XElement(Email + "InstanceType", meeting.RecurrenceIdentifier is not null ? 3 : meeting.RecurrenceRule is not null ? 1 : 0),
            string.IsNullOrEmpty(meeting.Location) ? null
                : version >= ActiveSyncVersion.V16_0 ? new XElement(ActiveSyncNamespaces.AirSyncBase + "Location", new XElement(ActiveSyncNamespaces.AirSyncBase + "DisplayName", meeting.Location))
                : new XElement(Email + "Location", meeting.Location),
            new XElement(Email + "Organizer", Organizer(meeting)),
            meeting.RecurrenceIdentifier is { } recurrenceId ? new XElement(Email + "RecurrenceId", DateTime(CalendarObject.Utc(recurrenceId.StartTime))) : null,
            Reminder(meeting) is { } reminder ? new XElement(Email + "Reminder", reminder) : null,
            new XElement(Email + "ResponseRequested", Message.Method == "REQUEST" ? 1 : 0),
            meeting.RecurrenceRule is { } rule && Recurrence(rule, dtStart.Value) is { } recurrence ? new XElement(Email + "Recurrences", recurrence) : null,
            new XElement(Email + "Sensitivity", meeting.Class?.ToUpperInvariant() switch { "PRIVATE" => 2, "CONFIDENTIAL" => 3, _ => 0 }),
            new XElement(Email + "BusyStatus", BusyStatus(meeting)),
            new XElement(Email + "TimeZone", zone is null ? TimeZoneBlob.Utc : TimeZoneBlob.For(zone, start.Year)),
            new XElement(Email + "GlobalObjId", GlobalObjId(Message.Uid)),
            version >= ActiveSyncVersion.V14_1 ? new XElement(Email2 + "MeetingMessageType", Message.Method == "CANCEL" ? 0 : meeting.Sequence > 0 ? 2 : 1) : null);
    }

    /// <summary>
    /// The GlobalObjId (MS-ASEMAIL 2.2.2.41): an Outlook UID (the hex of a GlobalObjectId) as its bytes, any other UID wrapped
    /// as a third-party id (MS-OXCICAL 2.1.3.1.1.20.26: "vCal-Uid", 1, the UID, NUL) in the GlobalObjectId header; base64.
    /// </summary>
    public static string GlobalObjId(string uid)
    {
        if (uid.Length > 2 * GlobalObjectIdPrefix.Length && uid.Length % 2 == 0 && uid.StartsWith("040000008200E00074C5B7101A82E008", StringComparison.OrdinalIgnoreCase)
            && uid.All(char.IsAsciiHexDigit))
            return Convert.ToBase64String(Convert.FromHexString(uid));
        var data = new List<byte>(Encoding.ASCII.GetBytes("vCal-Uid")) { 1, 0, 0, 0 };
        data.AddRange(Encoding.UTF8.GetBytes(uid));
        data.Add(0);
        var id = new byte[GlobalObjectIdPrefix.Length + 4 + 8 + 8 + 4 + data.Count]; // prefix, instance date, creation time, reserved, size
        GlobalObjectIdPrefix.CopyTo(id, 0);
        BinaryPrimitives.WriteInt32LittleEndian(id.AsSpan(GlobalObjectIdPrefix.Length + 20, 4), data.Count);
        data.CopyTo(id, GlobalObjectIdPrefix.Length + 24);
        return Convert.ToBase64String(id);
    }

    private DateTimeOffset? FirstEnd()
    {
        try
        {
            return _calendar!.Instances(null, null, 1).FirstOrDefault()?.End;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null; // a time zone Ical.Net cannot resolve
        }
    }

    private static TimeZoneInfo? Zone(string tzId)
        => TimeZoneInfo.TryFindSystemTimeZoneById(tzId.Split('/').Length > 3 ? string.Join('/', tzId.Split('/')[^2..]) : tzId, out var zone) ? zone : null;

    private string Organizer(CalendarEvent meeting)
    {
        var address = Message.Organizer ?? "";
        return meeting.Organizer?.CommonName is { Length: > 0 } name ? new MailboxAddress(name, address).ToString() : address;
    }

    /// <summary>Seconds before the start of the first alarm set relative to the start (MS-ASEMAIL 2.2.2.63).</summary>
    private static long? Reminder(CalendarEvent meeting)
        => meeting.Alarms.Select(a => a.Trigger).Where(t => t is { Duration: { } d, Related: not "END" } && d.Sign < 0)
            .Select(t => (long?)-t!.Duration!.Value.ToTimeSpanUnspecified().TotalSeconds).FirstOrDefault();

    private static int BusyStatus(CalendarEvent meeting)
        => (meeting.Properties["X-MICROSOFT-CDO-INTENDEDSTATUS"]?.Value as string)?.ToUpperInvariant() switch
        {
            "FREE" => 0,
            "TENTATIVE" => 1,
            "OOF" => 3,
            "WORKINGELSEWHERE" => 4,
            "BUSY" => 2,
            _ => string.Equals(meeting.Transparency, "TRANSPARENT", StringComparison.OrdinalIgnoreCase) ? 0 : 2,
        };

    /// <summary>
    /// An RRULE as an email:Recurrence (MS-ASEMAIL 2.2.2.60; the types of client-requirements EAS-CAL-04); null for a rule EAS
    /// cannot express (the request is then shown without its recurrence, never dropped).
    /// </summary>
    private static XElement? Recurrence(RecurrenceRule rule, DateTime start)
    {
        if (rule.ByHour.Count > 0 || rule.ByMinute.Count > 0 || rule.BySecond.Count > 0 || rule.ByMonthDay.Count > 1 || rule.ByMonthDay.Any(d => d < 1) || rule.BySetPosition.Count > 1)
            return null;
        var nth = rule.ByDay.FirstOrDefault(d => d.Offset is not null)?.Offset ?? (rule.BySetPosition.Count == 1 ? rule.BySetPosition[0] : null);
        int? type = rule.Frequency switch
        {
            FrequencyType.Daily when rule.ByDay.Count == 0 => 0,
            FrequencyType.Daily or FrequencyType.Weekly => 1,
            FrequencyType.Monthly => nth is null ? 2 : 3,
            FrequencyType.Yearly => nth is null ? 5 : 6,
            _ => null,
        };
        if (type is null || nth is < -1 or 0 or > 5)
            return null;
        var days = rule.ByDay.Count == 0 ? 1 << (int)start.DayOfWeek : rule.ByDay.Aggregate(0, (mask, d) => mask | 1 << (int)d.DayOfWeek);
        return new XElement(Email + "Recurrence",
            new XElement(Email + "Type", type),
            new XElement(Email + "Interval", Math.Max(rule.Interval, 1)),
            rule.Until is { } until ? new XElement(Email + "Until", CalendarObject.Utc(until).ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)) : null,
            rule.Count is { } count ? new XElement(Email + "Occurrences", count) : null,
            type is 3 or 6 ? new XElement(Email + "WeekOfMonth", nth == -1 ? 5 : nth) : null,
            type is 2 or 5 ? new XElement(Email + "DayOfMonth", rule.ByMonthDay.Count == 1 ? rule.ByMonthDay[0] : start.Day) : null,
            type is 1 or 3 or 6 ? new XElement(Email + "DayOfWeek", days) : null,
            type is 5 or 6 ? new XElement(Email + "MonthOfYear", rule.ByMonth.Count == 1 ? rule.ByMonth[0] : start.Month) : null);
    }

    private static string DateTime(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
