using SyncServer.Protocols.CalDav;

namespace SyncServer.Protocols.Tests.CalDav;

/// <summary>
/// An organizer's message against an attendee's stored copy (RFC 5546 §2.1.5 ordering, §3.2.2 and §3.2.5 of single instances)
/// and the schedule tag (RFC 6638 §3.2.10).
/// </summary>
public sealed class ScheduledObjectInstancesTests
{
    private const string Weekly =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//sched//EN\r\n" +
        "BEGIN:VEVENT\r\nUID:weekly-1\r\nDTSTAMP:20260101T000000Z\r\nSEQUENCE:1\r\n" +
        "DTSTART;TZID=Europe/Paris:20270104T090000\r\nDTEND;TZID=Europe/Paris:20270104T093000\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\nSUMMARY:Weekly\r\n" +
        "ORGANIZER:mailto:carol@remote.example\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@example.org\r\nEND:VEVENT\r\n" +
        "BEGIN:VEVENT\r\nUID:weekly-1\r\nDTSTAMP:20260101T000000Z\r\nSEQUENCE:1\r\nRECURRENCE-ID;TZID=Europe/Paris:20270111T090000\r\n" +
        "DTSTART;TZID=Europe/Paris:20270111T100000\r\nDTEND;TZID=Europe/Paris:20270111T103000\r\nSUMMARY:Weekly (later)\r\n" +
        "ORGANIZER:mailto:carol@remote.example\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@example.org\r\nEND:VEVENT\r\n" +
        "END:VCALENDAR\r\n";

    private static string Instance(string recurrenceId, string start, string summary, int sequence = 2)
        => "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//remote//EN\r\nMETHOD:REQUEST\r\n" +
           $"BEGIN:VEVENT\r\nUID:weekly-1\r\nDTSTAMP:20260201T000000Z\r\nSEQUENCE:{sequence}\r\nRECURRENCE-ID;TZID=Europe/Paris:{recurrenceId}\r\n" +
           $"DTSTART;TZID=Europe/Paris:{start}\r\nDTEND;TZID=Europe/Paris:{start[..9]}235900\r\nSUMMARY:{summary}\r\n" +
           "ORGANIZER:mailto:carol@remote.example\r\nATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:bob@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    [Test]
    public void Sequence_then_dtstamp_orders_versions()
    {
        var stored = ScheduledObject.TryParse(Weekly)!;
        Assert.That((stored.Sequence, stored.DtStamp, stored.HasMaster, stored.InstanceIds), Is.EqualTo((1, "20260101T000000Z", true, new[] { "20270111T090000" })));
        var update = ScheduledObject.TryParse(Instance("20270118T090000", "20270118T110000", "Moved"))!;
        Assert.That((update.HasMaster, update.IsOlderThan(stored)), Is.EqualTo((false, false)));
        Assert.That(ScheduledObject.TryParse(Weekly.Replace("SEQUENCE:1", "SEQUENCE:0"))!.IsOlderThan(stored), Is.True);
        Assert.That(ScheduledObject.TryParse(Weekly.Replace("DTSTAMP:20260101T000000Z", "DTSTAMP:20251231T000000Z"))!.IsOlderThan(stored), Is.True);
    }

    [Test]
    public void An_update_of_one_instance_replaces_only_that_override()
    {
        var stored = ScheduledObject.TryParse(Weekly)!;
        var merged = stored.WithInstancesOf(ScheduledObject.TryParse(Instance("20270111T090000", "20270111T140000", "Weekly (afternoon)"))!);
        Assert.That(merged, Does.Contain("RRULE:FREQ=WEEKLY;COUNT=4").And.Contain("SUMMARY:Weekly (afternoon)").And.Not.Contain("Weekly (later)"));
        Assert.That(merged, Does.Not.Contain("METHOD"));
        merged = stored.WithInstancesOf(ScheduledObject.TryParse(Instance("20270118T090000", "20270118T110000", "Moved"))!);
        Assert.That(merged, Does.Contain("SUMMARY:Weekly (later)").And.Contain("SUMMARY:Moved"));
        Assert.That(CalendarObject.TryParse(merged, out _), Is.Not.Null, "a valid calendar object resource");
    }

    [Test]
    public void A_cancel_of_instances_removes_their_overrides_and_adds_exdates()
    {
        var stored = ScheduledObject.TryParse(Weekly)!;
        var without = stored.WithoutInstances(["20270111T090000", "20270125T090000"]);
        Assert.That(without, Does.Not.Contain("Weekly (later)").And.Not.Contain("RECURRENCE-ID"));
        Assert.That(without, Does.Contain("EXDATE;TZID=Europe/Paris:20270111T090000\r\nEXDATE:20270125T090000\r\nEND:VEVENT"));
        Assert.That(CalendarObject.TryParse(without, out _), Is.Not.Null);
    }

    [Test]
    public void An_attendee_answering_one_instance_replies_for_that_instance_only()
    {
        var stored = ScheduledObject.TryParse(Weekly)!;
        var oneDeclined = ScheduledObject.TryParse(Weekly.Replace("RECURRENCE-ID;TZID=Europe/Paris:20270111T090000\r\nDTSTART;TZID=Europe/Paris:20270111T100000\r\nDTEND;TZID=Europe/Paris:20270111T103000\r\nSUMMARY:Weekly (later)\r\nORGANIZER:mailto:carol@remote.example\r\nATTENDEE;PARTSTAT=ACCEPTED",
            "RECURRENCE-ID;TZID=Europe/Paris:20270111T090000\r\nDTSTART;TZID=Europe/Paris:20270111T100000\r\nDTEND;TZID=Europe/Paris:20270111T103000\r\nSUMMARY:Weekly (later)\r\nORGANIZER:mailto:carol@remote.example\r\nATTENDEE;PARTSTAT=DECLINED"))!;
        var changed = oneDeclined.AnswerChanges("bob@example.org", stored);
        Assert.That(changed, Is.EquivalentTo(new[] { "20270111T090000" }));
        var reply = oneDeclined.Reply("bob@example.org", changed);
        Assert.That(reply, Does.Contain("METHOD:REPLY").And.Contain("RECURRENCE-ID;TZID=Europe/Paris:20270111T090000").And.Contain("PARTSTAT=DECLINED"));
        Assert.That(ScheduledObject.TryParse(reply)!.HasMaster, Is.False, "only the instance answered");
        Assert.That(stored.AnswerChanges("bob@example.org", stored), Is.Empty);
    }

    [Test]
    public void A_reply_for_one_instance_changes_that_instance_in_the_organizers_copy_making_its_override()
    {
        var organizer = ScheduledObject.TryParse(Weekly)!;
        var reply = ScheduledObject.TryParse("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//remote//EN\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:weekly-1\r\n" +
            "DTSTAMP:20260301T000000Z\r\nRECURRENCE-ID;TZID=Europe/Paris:20270118T090000\r\nDTSTART;TZID=Europe/Paris:20270118T090000\r\n" +
            "ORGANIZER:mailto:carol@remote.example\r\nATTENDEE;PARTSTAT=TENTATIVE:mailto:bob@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")!;
        var applied = organizer.WithReply("bob@example.org", reply, "2.0");
        var parsed = ScheduledObject.TryParse(applied)!;
        Assert.That(parsed.PartStatsByInstance("bob@example.org"), Is.EquivalentTo(new Dictionary<string, string>
        {
            [""] = "ACCEPTED", ["20270111T090000"] = "ACCEPTED", ["20270118T090000"] = "TENTATIVE",
        }));
        Assert.That(applied, Does.Contain("RECURRENCE-ID;TZID=Europe/Paris:20270118T090000\r\n").And.Contain("DTEND;TZID=Europe/Paris:20270118T093000\r\n"));
        Assert.That(CalendarObject.TryParse(applied, out _), Is.Not.Null);

        var again = ScheduledObject.TryParse(applied)!.WithReply("bob@example.org",
            ScheduledObject.TryParse(reply.Text.Replace("PARTSTAT=TENTATIVE", "PARTSTAT=DECLINED"))!, "2.0");
        Assert.That(ScheduledObject.TryParse(again)!.PartStatsByInstance("bob@example.org")["20270118T090000"], Is.EqualTo("DECLINED"));
        Assert.That(again.Split("RECURRENCE-ID").Length - 1, Is.EqualTo(2), "the override made once");
    }

    [Test]
    public void The_schedule_tag_follows_what_the_organizer_schedules()
    {
        var stored = ScheduledObject.TryParse(Weekly)!;
        var answered = ScheduledObject.TryParse(stored.WithPartStat("bob@example.org", "DECLINED", "2.0"))!;
        var restamped = ScheduledObject.TryParse(Weekly.Replace("DTSTAMP:20260101T000000Z", "DTSTAMP:20260301T000000Z"))!;
        var moved = ScheduledObject.TryParse(Weekly.Replace("COUNT=4", "COUNT=5"))!;
        var invited = ScheduledObject.TryParse(Weekly.Replace("END:VEVENT\r\nBEGIN:VEVENT", "ATTENDEE:mailto:dave@remote.example\r\nEND:VEVENT\r\nBEGIN:VEVENT"))!;
        Assert.That(stored.ScheduleTag, Does.Match("^\"[0-9a-f]{24}\"$"));
        Assert.That(new[] { answered.ScheduleTag, restamped.ScheduleTag }, Is.All.EqualTo(stored.ScheduleTag));
        Assert.That(new[] { moved.ScheduleTag, invited.ScheduleTag }, Is.All.Not.EqualTo(stored.ScheduleTag));
    }
}
