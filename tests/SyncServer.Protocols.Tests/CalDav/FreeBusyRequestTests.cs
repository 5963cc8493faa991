using SyncServer.Protocols.CalDav;

namespace SyncServer.Protocols.Tests.CalDav;

/// <summary>The VFREEBUSY REQUEST a client POSTs to its schedule outbox (RFC 5546 §3.3.2), and the REPLY the server makes.</summary>
public sealed class FreeBusyRequestTests
{
    private const string Request =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN\r\nMETHOD:REQUEST\r\nBEGIN:VFREEBUSY\r\n" +
        "DTSTAMP:20261101T000000Z\r\nORGANIZER:mailto:alice@example.org\r\nDTSTART:20261215T000000Z\r\nDTEND:20261216T000000Z\r\n" +
        "UID:fb-1\r\nATTENDEE;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;CUTYPE=INDIVIDUAL:mailto:Bob@example.org\r\nEND:VFREEBUSY\r\nEND:VCALENDAR\r\n";

    [Test]
    public void Reads_who_asks_about_whom_and_when()
    {
        var request = FreeBusyRequest.TryParse(Request)!;
        Assert.That(request.Organizer, Is.EqualTo("alice@example.org"));
        Assert.That(request.Attendees, Is.EqualTo(new[] { "bob@example.org" }));
        Assert.That(request.Range.Start, Is.EqualTo(new DateTimeOffset(2026, 12, 15, 0, 0, 0, TimeSpan.Zero)));
        Assert.That(request.Range.End, Is.EqualTo(new DateTimeOffset(2026, 12, 16, 0, 0, 0, TimeSpan.Zero)));
        Assert.That(request.Uid, Is.EqualTo("fb-1"));
    }

    [TestCase("METHOD:REQUEST", "METHOD:PUBLISH")]
    [TestCase("ORGANIZER:mailto:alice@example.org\r\n", "")]
    [TestCase("DTEND:20261216T000000Z", "DTEND:20261214T000000Z")]
    [TestCase("DTSTART:20261215T000000Z", "DTSTART;TZID=Europe/Paris:20261215T000000")]
    [TestCase("ATTENDEE;", "X-NOT-ATTENDEE;")]
    [TestCase("BEGIN:VFREEBUSY", "BEGIN:VFREEBUSY\r\nbroken line")]
    public void Refuses_what_is_not_a_utc_free_busy_request(string from, string to)
        => Assert.That(FreeBusyRequest.TryParse(Request.Replace(from, to, StringComparison.Ordinal)), Is.Null);

    [Test]
    public void The_reply_names_organizer_and_attendee_and_only_busy_periods()
    {
        var request = FreeBusyRequest.TryParse(Request)!;
        var meeting = CalendarObject.TryParse("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:m\r\nDTSTAMP:20260101T000000Z\r\n" +
            "DTSTART:20261215T100000Z\r\nDTEND:20261215T110000Z\r\nSUMMARY:Secret\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", out _)!;
        var reply = CalendarData.FreeBusy([meeting], request.Range, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), request, "bob@example.org");
        Assert.That(reply, Does.Contain("METHOD:REPLY\r\nBEGIN:VFREEBUSY\r\nUID:fb-1\r\nORGANIZER:mailto:alice@example.org\r\nATTENDEE:mailto:bob@example.org\r\n"));
        Assert.That(reply, Does.Contain("FREEBUSY;FBTYPE=BUSY:20261215T100000Z/20261215T110000Z\r\n").And.Not.Contain("Secret"));
    }
}
