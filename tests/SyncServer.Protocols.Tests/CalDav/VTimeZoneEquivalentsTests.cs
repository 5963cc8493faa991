using SyncServer.Protocols.CalDav;

namespace SyncServer.Protocols.Tests.CalDav;

/// <summary>
/// A TZID defined only by its VTIMEZONE (Outlook's display names) is evaluated as the IANA zone with the same offsets, so
/// its events fall in the right time ranges; a TZID Ical.Net knows, or a VTIMEZONE without an equivalent, is left alone.
/// </summary>
public sealed class VTimeZoneEquivalentsTests
{
    private const string Outlook = "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna";

    private const string CentralEurope =
        "BEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\n" +
        "BEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\n";

    [TestCase("20260710T100000", "2026-07-10T08:00:00Z", Description = "summer: +02:00")]
    [TestCase("20260115T100000", "2026-01-15T09:00:00Z", Description = "winter: +01:00")]
    public void An_outlook_display_name_zone_is_evaluated_as_its_iana_equivalent(string local, string utc)
    {
        var parsed = CalendarObject.TryParse(Calendar($"\"{Outlook}\"", Outlook, CentralEurope, local), out _)!;
        Assert.That(parsed.Instances(null, null).Single().Start, Is.EqualTo(DateTimeOffset.Parse(utc, null, System.Globalization.DateTimeStyles.AdjustToUniversal)));
    }

    [Test]
    public void A_fixed_offset_zone_without_rules_is_evaluated_at_its_offset()
    {
        const string india = "BEGIN:STANDARD\r\nDTSTART:16010101T000000\r\nTZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\nEND:STANDARD\r\n";
        var parsed = CalendarObject.TryParse(Calendar("India Custom", "India Custom", india, "20260710T100000"), out _)!;
        Assert.That(parsed.Instances(null, null).Single().Start, Is.EqualTo(new DateTimeOffset(2026, 7, 10, 4, 30, 0, TimeSpan.Zero)));
    }

    [Test]
    public void Known_zones_and_zones_without_an_equivalent_are_left_as_they_are()
    {
        var iana = Calendar("Europe/Berlin", "Europe/Berlin", CentralEurope, "20260710T100000");
        Assert.That(VTimeZoneEquivalents.ForEvaluation(iana), Is.SameAs(iana));
        const string odd = "BEGIN:STANDARD\r\nDTSTART:16010101T000000\r\nTZOFFSETFROM:+0117\r\nTZOFFSETTO:+0117\r\nEND:STANDARD\r\n";
        var nowhere = Calendar("Nowhere", "Nowhere", odd, "20260710T100000");
        Assert.That(VTimeZoneEquivalents.ForEvaluation(nowhere), Is.EqualTo(nowhere));
        Assert.That(CalendarObject.TryParse(nowhere, out _), Is.Not.Null, "still stored (and a candidate for every range)");
    }

    private static string Calendar(string tzidParameter, string tzid, string observances, string localStart)
        => "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//tz//EN\r\n" +
           $"BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\n{observances}END:VTIMEZONE\r\n" +
           $"BEGIN:VEVENT\r\nUID:tz@test\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID={tzidParameter}:{localStart}\r\n" +
           $"DTEND;TZID={tzidParameter}:{localStart[..9]}{int.Parse(localStart[9..11]) + 1:00}0000\r\nSUMMARY:tz\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
}
