using SyncServer.Protocols.CalDav;

namespace SyncServer.Protocols.Tests.CalDav;

/// <summary>
/// The iTIP messages (RFC 5546) implicit scheduling makes from a stored event, and the changes it makes to stored copies
/// (RFC 6638): every line the server does not touch keeps its bytes, folding included.
/// </summary>
public sealed class ScheduledObjectTests
{
    private const string Meeting =
        "BEGIN:VCALENDAR\r\n" +
        "VERSION:2.0\r\n" +
        "PRODID:-//test//sched//EN\r\n" +
        "BEGIN:VEVENT\r\n" +
        "UID:meeting-1\r\n" +
        "DTSTAMP:20260101T000000Z\r\n" +
        "DTSTART:20261201T100000Z\r\n" +
        "DTEND:20261201T110000Z\r\n" +
        "SUMMARY:Planning\\, Q1\r\n" +
        "DESCRIPTION:A long description that the client folded over two physical lin\r\n" +
        " es on purpose.\r\n" +
        "SEQUENCE:2\r\n" +
        "ORGANIZER;CN=Alice:mailto:alice@example.org\r\n" +
        "ATTENDEE;CN=Alice;PARTSTAT=ACCEPTED:mailto:alice@example.org\r\n" +
        "ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;SCHEDULE-STATUS=1.2:mailto:Bob@Example.org\r\n" +
        "ATTENDEE;CN=\"Carol, External\";RSVP=TRUE:mailto:carol@remote.example\r\n" +
        "ATTENDEE;SCHEDULE-AGENT=CLIENT:mailto:dave@remote.example\r\n" +
        "BEGIN:VALARM\r\n" +
        "ACTION:DISPLAY\r\n" +
        "TRIGGER:-PT10M\r\n" +
        "END:VALARM\r\n" +
        "END:VEVENT\r\n" +
        "END:VCALENDAR\r\n";

    [Test]
    public void Reads_the_organizer_and_attendees_with_their_partstat()
    {
        var meeting = ScheduledObject.TryParse(Meeting)!;
        Assert.That(meeting.Uid, Is.EqualTo("meeting-1"));
        Assert.That(meeting.Method, Is.Null);
        Assert.That(meeting.Organizer, Is.EqualTo("alice@example.org"));
        Assert.That(meeting.Summary, Is.EqualTo("Planning, Q1"));
        Assert.That(meeting.Attendees, Is.EqualTo(new[]
        {
            new ScheduleAttendee("alice@example.org", "ACCEPTED", false),
            new ScheduleAttendee("bob@example.org", "NEEDS-ACTION", false),
            new ScheduleAttendee("carol@remote.example", "NEEDS-ACTION", false),
            new ScheduleAttendee("dave@remote.example", "NEEDS-ACTION", true),
        }));
        Assert.That(meeting.Text, Is.EqualTo(Meeting));
    }

    [Test]
    public void A_request_has_the_method_and_no_server_only_parameters_and_keeps_every_other_byte()
    {
        var request = ScheduledObject.TryParse(Meeting)!.Request();
        Assert.That(request, Does.StartWith("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nVERSION:2.0\r\n"));
        Assert.That(request, Does.Contain("ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:Bob@Example.org\r\n"));
        Assert.That(request, Does.Contain("ATTENDEE:mailto:dave@remote.example\r\n"));
        Assert.That(request, Does.Not.Contain("SCHEDULE-"));
        Assert.That(request, Does.Contain("lin\r\n es on purpose.\r\n"), "an untouched folded line keeps its folding");
        Assert.That(request, Does.Contain("ATTENDEE;CN=\"Carol, External\";RSVP=TRUE:mailto:carol@remote.example\r\n"));
        Assert.That(ScheduledObject.TryParse(request)!.Method, Is.EqualTo("REQUEST"));
    }

    [Test]
    public void A_cancel_lists_only_the_cancelled_attendees_and_raises_the_sequence()
    {
        var cancel = ScheduledObject.TryParse(Meeting)!.Cancel(["carol@remote.example"]);
        var parsed = ScheduledObject.TryParse(cancel)!;
        Assert.That(parsed.Method, Is.EqualTo("CANCEL"));
        Assert.That(parsed.Attendees.Select(a => a.Address), Is.EqualTo(new[] { "carol@remote.example" }));
        Assert.That(cancel, Does.Contain("SEQUENCE:3\r\n").And.Contain("STATUS:CANCELLED\r\nEND:VEVENT"));
    }

    [Test]
    public void A_reply_names_only_the_replying_attendee_and_leaves_alarms_out()
    {
        var accepted = ScheduledObject.TryParse(ScheduledObject.TryParse(Meeting)!.WithPartStat("bob@example.org", "ACCEPTED"))!;
        var reply = ScheduledObject.TryParse(accepted.Reply("bob@example.org"))!;
        Assert.That(reply.Method, Is.EqualTo("REPLY"));
        Assert.That(reply.Attendees, Is.EqualTo(new[] { new ScheduleAttendee("bob@example.org", "ACCEPTED", false) }));
        Assert.That(reply.Text, Does.Not.Contain("VALARM").And.Not.Contain("SCHEDULE-STATUS"));
    }

    [Test]
    public void Applying_a_reply_changes_that_attendee_only()
    {
        var updated = Unfold(ScheduledObject.TryParse(Meeting)!.WithPartStat("carol@remote.example", "TENTATIVE", "2.0"));
        Assert.That(updated, Does.Contain("ATTENDEE;CN=\"Carol, External\";RSVP=TRUE;PARTSTAT=TENTATIVE;SCHEDULE-STATUS=2.0:mailto:carol@remote.example\r\n"));
        Assert.That(updated.Replace("ATTENDEE;CN=\"Carol, External\";RSVP=TRUE;PARTSTAT=TENTATIVE;SCHEDULE-STATUS=2.0:", "ATTENDEE;CN=\"Carol, External\";RSVP=TRUE:"),
            Is.EqualTo(Unfold(Meeting)));
    }

    [Test]
    public void The_organizer_copy_gets_a_schedule_status_per_attendee()
    {
        var statuses = new Dictionary<string, string> { ["bob@example.org"] = "1.2", ["carol@remote.example"] = "1.1" };
        var updated = ScheduledObject.TryParse(ScheduledObject.TryParse(Meeting)!.WithScheduleStatus(statuses))!;
        Assert.That(Unfold(updated.Text), Does.Contain("RSVP=TRUE;SCHEDULE-STATUS=1.2:mailto:Bob@Example.org").And.Contain(";SCHEDULE-STATUS=1.1:mailto:carol@remote.example"));
    }

    [Test]
    public void An_attendee_copy_has_no_method_and_keeps_the_attendees_own_answer()
    {
        var request = ScheduledObject.TryParse(ScheduledObject.TryParse(Meeting)!.Request())!;
        var first = request.AsAttendeeCopy("bob@example.org", null);
        Assert.That(first, Does.Not.Contain("METHOD").And.Contain("PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:Bob@Example.org"));
        Assert.That(CalendarObject.TryParse(first, out _), Is.Not.Null, "a valid calendar object resource");
        var answered = ScheduledObject.TryParse(ScheduledObject.TryParse(first)!.WithPartStat("bob@example.org", "ACCEPTED"))!;
        var again = request.AsAttendeeCopy("bob@example.org", answered);
        Assert.That(ScheduledObject.TryParse(again)!.PartStatOf("bob@example.org"), Is.EqualTo("ACCEPTED"));
    }

    [Test]
    public void The_fingerprint_changes_with_the_time_not_with_answers_or_alarms()
    {
        var meeting = ScheduledObject.TryParse(Meeting)!;
        var answered = ScheduledObject.TryParse(meeting.WithPartStat("bob@example.org", "DECLINED", "2.0"))!;
        var moved = ScheduledObject.TryParse(Meeting.Replace("DTSTART:20261201T100000Z", "DTSTART:20261201T090000Z"))!;
        Assert.That(answered.Fingerprint, Is.EqualTo(meeting.Fingerprint));
        Assert.That(moved.Fingerprint, Is.Not.EqualTo(meeting.Fingerprint));
    }

    [Test]
    public void A_cancelled_copy_gets_a_status()
    {
        var cancelled = ScheduledObject.TryParse(Meeting)!.Cancelled();
        Assert.That(cancelled, Does.Contain("STATUS:CANCELLED\r\nEND:VEVENT"));
        Assert.That(CalendarObject.TryParse(cancelled, out _), Is.Not.Null);
    }

    /// <summary>Lines the server changed are folded afresh at 75 octets; compare content, not folding.</summary>
    private static string Unfold(string text) => text.Replace("\r\n ", "", StringComparison.Ordinal);

    [TestCase("")]
    [TestCase("BEGIN:VCARD\r\nEND:VCARD\r\n")]
    [TestCase("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nEND:VCALENDAR\r\n")]
    [TestCase("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:b\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")]
    [TestCase("BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:x\r\nEND:VTIMEZONE\r\nEND:VCALENDAR\r\n")]
    [TestCase("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nno colon here\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")]
    public void What_is_not_one_scheduling_object_is_refused(string text)
        => Assert.That(ScheduledObject.TryParse(text), Is.Null);

    [Test]
    public void An_object_with_line_feeds_only_and_an_override_reads_the_master_partstat_first()
    {
        var text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:r\nRRULE:FREQ=DAILY\nORGANIZER:mailto:a@x\nATTENDEE;PARTSTAT=ACCEPTED:mailto:b@x\nEND:VEVENT\n" +
                   "BEGIN:VEVENT\nUID:r\nRECURRENCE-ID:20261202T100000Z\nORGANIZER:mailto:a@x\nATTENDEE;PARTSTAT=DECLINED:mailto:b@x\nEND:VEVENT\nEND:VCALENDAR\n";
        var parsed = ScheduledObject.TryParse(text)!;
        Assert.That(parsed.PartStatOf("b@x"), Is.EqualTo("ACCEPTED"));
        Assert.That(parsed.WithPartStat("b@x", "TENTATIVE").Split("PARTSTAT=TENTATIVE").Length, Is.EqualTo(3), "every instance answered");
    }
}
