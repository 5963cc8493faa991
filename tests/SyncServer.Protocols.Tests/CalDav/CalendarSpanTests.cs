using System.Globalization;
using SyncServer.Protocols.CalDav;
using SyncServer.Protocols.Dav;

namespace SyncServer.Protocols.Tests.CalDav;

/// <summary>
/// The time span a calendar object is indexed with (the store prefilters time-range queries on it) covers every instance,
/// and the time range a filter requires is only taken where the evaluator tests instances.
/// </summary>
public sealed class CalendarSpanTests
{
    [TestCase("DTSTART:20260105T090000Z\r\nDTEND:20260105T100000Z\r\n", "20260105T090000Z", "20260105T100000Z")]
    [TestCase("DTSTART:20260105T090000Z\r\nDTEND:20260105T100000Z\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n", "20260105T090000Z", "20260119T100000Z")]
    [TestCase("DTSTART:20260105T090000Z\r\nDTEND:20260105T100000Z\r\nRRULE:FREQ=WEEKLY;UNTIL=20260119T090000Z\r\nEXDATE:20260119T090000Z\r\n", "20260105T090000Z", "20260112T100000Z")]
    [TestCase("DTSTART:20260105T090000Z\r\nDTEND:20260105T100000Z\r\nRRULE:FREQ=WEEKLY\r\n", "20260105T090000Z", null)]
    [TestCase("DTSTART:20260105T090000Z\r\nDTEND:20260105T100000Z\r\nRRULE:FREQ=HOURLY;COUNT=10001\r\n", "20260105T090000Z", null)]
    [TestCase("DTSTART;VALUE=DATE:20260105\r\nRRULE:FREQ=YEARLY;COUNT=2\r\n", "20260105T000000Z", "20270106T000000Z")]
    [TestCase("DTSTART;TZID=Europe/Paris:20260327T090000\r\nDTEND;TZID=Europe/Paris:20260327T100000\r\nRRULE:FREQ=WEEKLY;COUNT=2\r\n", "20260327T080000Z", "20260403T080000Z")]
    public void The_span_runs_from_the_first_start_to_the_last_end_and_stays_open_past_what_is_expanded(string times, string start, string? end)
    {
        var parsed = CalendarObject.TryParse(Event("UID:s@test\r\n" + times), out _)!;
        Assert.That(parsed.Bounds(), Is.EqualTo((Utc(start), end is null ? (DateTimeOffset?)null : Utc(end))));
    }

    [Test]
    public void An_instance_moved_before_the_first_start_opens_the_span_there()
    {
        var parsed = CalendarObject.TryParse(Event(
            "UID:m@test\r\nDTSTART:20260105T090000Z\r\nDTEND:20260105T100000Z\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n").Replace("END:VCALENDAR",
            "BEGIN:VEVENT\r\nUID:m@test\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID:20260119T090000Z\r\nDTSTART:20260102T090000Z\r\nDTEND:20260102T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR",
            StringComparison.Ordinal), out _)!;
        Assert.That(parsed.Bounds(), Is.EqualTo(((DateTimeOffset?)Utc("20260102T090000Z"), (DateTimeOffset?)Utc("20260112T100000Z"))));
    }

    [Test]
    public void The_required_time_range_is_the_one_on_the_object_component_only()
    {
        var range = new TimeRange(Utc("20260301T000000Z"), Utc("20260401T000000Z"));
        CompFilter Calendar(params CompFilter[] children) => new("VCALENDAR", false, null, [], children);
        CompFilter Component(string name, TimeRange? timeRange, bool notDefined = false, params CompFilter[] children) => new(name, notDefined, timeRange, [], children);

        Assert.That(CalendarFilterEvaluator.RequiredTimeRange(Calendar(Component("VEVENT", range))), Is.EqualTo(range));
        Assert.That(CalendarFilterEvaluator.RequiredTimeRange(Calendar(Component("VTIMEZONE", null), Component("vtodo", range))), Is.EqualTo(range));
        Assert.That(CalendarFilterEvaluator.RequiredTimeRange(Calendar(Component("VEVENT", null, false, Component("VALARM", range)))), Is.Null, "an alarm may ring outside its event");
        Assert.That(CalendarFilterEvaluator.RequiredTimeRange(Calendar(Component("VFREEBUSY", range))), Is.Null);
        Assert.That(CalendarFilterEvaluator.RequiredTimeRange(Calendar(Component("VEVENT", range, notDefined: true))), Is.Null);
        Assert.That(CalendarFilterEvaluator.RequiredTimeRange(Calendar(Component("VEVENT", null))), Is.Null);
    }

    private static string Event(string lines)
        => "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nDTSTAMP:20260101T000000Z\r\n" + lines + "END:VEVENT\r\nEND:VCALENDAR\r\n";

    private static DateTimeOffset Utc(string text)
        => DateTimeOffset.ParseExact(text, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
