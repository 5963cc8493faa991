using SyncServer.Protocols.CalDav;
using SyncServer.Protocols.Dav;

namespace SyncServer.Protocols.Tests.CalDav;

/// <summary>RFC 4791 §9.6.6 limit-recurrence-set on a weekly event with a moved instance and a THISANDFUTURE override.</summary>
public sealed class CalendarDataTests
{
    private const string Weekly =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" +
        "BEGIN:VEVENT\r\nUID:w@test\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260105T090000Z\r\nDTEND:20260105T100000Z\r\nRRULE:FREQ=WEEKLY;BYDAY=MO\r\nSUMMARY:Weekly\r\n" +
        "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:x\r\nTRIGGER:-PT5M\r\nEND:VALARM\r\nEND:VEVENT\r\n" +
        "BEGIN:VEVENT\r\nUID:w@test\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID:20260119T090000Z\r\nDTSTART:20260121T140000Z\r\nDTEND:20260121T150000Z\r\nSUMMARY:Moved\r\nEND:VEVENT\r\n" +
        "BEGIN:VEVENT\r\nUID:w@test\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID;RANGE=THISANDFUTURE:20260302T090000Z\r\nDTSTART:20260302T100000Z\r\nDTEND:20260302T110000Z\r\nSUMMARY:Later\r\nEND:VEVENT\r\n" +
        "END:VCALENDAR\r\n";

    [TestCase("20260201T000000Z", "20260215T000000Z", false, false)]
    [TestCase("20260119T000000Z", "20260120T000000Z", true, false)]
    [TestCase("20260121T000000Z", "20260122T000000Z", true, false)]
    [TestCase("20260101T000000Z", "20260401T000000Z", true, true)]
    [TestCase("20260401T000000Z", "20260501T000000Z", false, true)]
    public void Overrides_outside_the_range_are_left_out_and_the_rest_is_kept_byte_for_byte(string start, string end, bool moved, bool later)
    {
        var parsed = CalendarObject.TryParse(Weekly, out _)!;
        var limited = CalendarData.LimitRecurrenceSet(Weekly, parsed, new TimeRange(Parse(start), Parse(end)));
        var expected = Weekly;
        if (!moved)
            expected = expected.Replace(Block("Moved"), "", StringComparison.Ordinal);
        if (!later)
            expected = expected.Replace(Block("Later"), "", StringComparison.Ordinal);
        Assert.That(limited, Is.EqualTo(expected));
    }

    private static string Block(string summary)
    {
        var at = Weekly.IndexOf("SUMMARY:" + summary, StringComparison.Ordinal);
        var begin = Weekly.LastIndexOf("BEGIN:VEVENT", at, StringComparison.Ordinal);
        var end = Weekly.IndexOf("END:VEVENT\r\n", at, StringComparison.Ordinal) + "END:VEVENT\r\n".Length;
        return Weekly[begin..end];
    }

    private static DateTimeOffset Parse(string text)
        => DateTimeOffset.ParseExact(text, "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
}
