using System.Globalization;
using System.Net;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SyncServer.Server.Tests.Smtp.Outbound;
using static SyncServer.Server.Tests.Dav.Dav;

namespace SyncServer.Server.Tests.Dav;

/// <summary>
/// CalDAV scheduling (RFC 6638) with iMIP (RFC 6047) end to end on the real server: alice organizes, bob is a local
/// attendee (schedule inbox and calendar over CalDAV), carol is outside (remote.example, whose MX is an <see cref="SmtpSink"/>
/// found through the <see cref="DnsFixture"/>): her invitation leaves through the outbound queue and her answer comes back as
/// mail to the server's MX listener.
/// </summary>
public sealed class SchedulingTests
{
    private const string Carol = "carol@remote.example";
    private const string AliceCalendar = "/dav/calendars/alice@example.org/calendar/";
    private const string BobCalendar = "/dav/calendars/bob@example.org/calendar/";
    private const string AliceInbox = "/dav/calendars/alice@example.org/inbox/";
    private const string BobInbox = "/dav/calendars/bob@example.org/inbox/";

    private SmtpSink _sink = null!;
    private DnsFixture _dns = null!;
    private DavServer _server = null!;
    private HttpClient _alice = null!;
    private HttpClient _bob = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _sink = new SmtpSink();
        _dns = new DnsFixture().Mx("remote.example", 10, "mx.remote.example").A("mx.remote.example", IPAddress.Loopback);
        _server = await DavServer.StartAsync(new Dictionary<string, string>
        {
            ["SYNCSERVER__SERVERNAME"] = "mx.example.org",
            ["SYNCSERVER__DNS__SERVER"] = _dns.Server,
            ["SYNCSERVER__QUEUE__REMOTEPORT"] = _sink.Port.ToString(CultureInfo.InvariantCulture),
        }, withMx: true);
        _alice = _server.Client();
        _bob = _server.Client(DavServer.Bob);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _alice.Dispose();
        _bob.Dispose();
        await _server.DisposeAsync();
        _dns.Dispose();
        await _sink.DisposeAsync();
    }

    [Test]
    public async Task The_principal_names_its_schedule_inbox_and_outbox_and_options_advertise_auto_schedule()
    {
        var principal = await (await _alice.SendAsync("PROPFIND", "/dav/principals/alice@example.org/",
            "<D:propfind xmlns:D='DAV:' xmlns:C='urn:ietf:params:xml:ns:caldav'><D:prop><C:schedule-inbox-URL/><C:schedule-outbox-URL/>" +
            "<C:calendar-user-address-set/><C:calendar-user-type/></D:prop></D:propfind>", headers: ("Depth", "0"))).MultistatusAsync();
        var response = principal.Response("/dav/principals/alice@example.org/");
        Assert.That(response.Found(C + "schedule-inbox-URL")!.Value, Is.EqualTo(AliceInbox));
        Assert.That(response.Found(C + "schedule-outbox-URL")!.Value, Is.EqualTo("/dav/calendars/alice@example.org/outbox/"));
        Assert.That(response.Found(C + "calendar-user-address-set")!.Elements(D + "href").First().Value, Is.EqualTo("mailto:alice@example.org"));
        Assert.That(response.Found(C + "calendar-user-type")!.Value, Is.EqualTo("INDIVIDUAL"));

        var inbox = await _alice.SendAsync("PROPFIND", "/dav/calendars/carol-has-no-account/inbox/", "<D:propfind xmlns:D='DAV:'><D:allprop/></D:propfind>");
        Assert.That(inbox.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        inbox = await _alice.SendAsync("PROPFIND", AliceInbox, """
            <A:propfind xmlns:A="DAV:" xmlns:B="urn:ietf:params:xml:ns:caldav" xmlns:C="http://calendarserver.org/ns/">
              <A:prop><A:resourcetype/><A:displayname/><A:owner/><A:supported-report-set/><A:sync-token/><C:getctag/>
                <B:schedule-default-calendar-URL/><B:supported-calendar-component-set/></A:prop></A:propfind>
            """, headers: ("Depth", "0"));
        Golden.AssertMatches("apple-4-schedule-inbox", await inbox.Content.ReadAsStringAsync());
        var outbox = (await (await _alice.SendAsync("PROPFIND", "/dav/calendars/alice@example.org/outbox/",
            "<D:propfind xmlns:D='DAV:'><D:prop><D:resourcetype/></D:prop></D:propfind>", headers: ("Depth", "0"))).MultistatusAsync())
            .Response("/dav/calendars/alice@example.org/outbox/");
        Assert.That(outbox.Found(D + "resourcetype")!.Element(C + "schedule-outbox"), Is.Not.Null);

        var options = await _alice.SendAsync("OPTIONS", "/dav/");
        Assert.That(options.Headers.GetValues("DAV").Single(), Does.Contain("calendar-auto-schedule"));
    }

    /// <summary>Issue 5's scheduling acceptance, step by step.</summary>
    [Test]
    public async Task Alice_invites_bob_and_carol_bob_accepts_by_caldav_and_carol_by_imip()
    {
        var put = await _alice.PutCalendarAsync(AliceCalendar + "planning.ics", Invitation("sched-planning"), ("If-None-Match", "*"));
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(put.Headers.ETag, Is.Null, "the server added SCHEDULE-STATUS, so the stored copy is not the body sent");

        // bob's schedule inbox has the REQUEST, his calendar the event awaiting his answer
        var request = (await _bob.MemberAsync(BobInbox, "sched-planning")).Text;
        Assert.That(request, Does.Contain("METHOD:REQUEST"));
        var (bobCopyHref, bobCopy) = await _bob.MemberAsync(BobCalendar, "sched-planning");
        Assert.That(bobCopy, Does.Not.Contain("METHOD"));
        Assert.That(Unfold(bobCopy), Does.Contain("PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.org"));

        // alice's copy tells how each invitation went (RFC 6638 §3.2.9): bob's delivered, carol's sent
        var aliceCopy = Unfold(await _alice.GetTextAsync(AliceCalendar + "planning.ics"));
        Assert.That(aliceCopy, Does.Contain("SCHEDULE-STATUS=1.2:mailto:bob@example.org").And.Contain("SCHEDULE-STATUS=1.1:mailto:carol@remote.example"));

        // carol's invitation left through the outbound queue as iMIP: a text/calendar; method=REQUEST part
        await _server.EventuallyAsync(() => Task.FromResult(_sink.Messages.Any(m => m.Data.Contains("sched-planning", StringComparison.Ordinal))));
        var sent = _sink.Messages.Single(m => m.Data.Contains("sched-planning", StringComparison.Ordinal));
        Assert.That(sent.MailFrom, Is.EqualTo(DavServer.Alice));
        Assert.That(sent.Recipients, Is.EqualTo(new[] { Carol }));
        var mail = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(sent.Data)));
        var part = mail.BodyParts.OfType<TextPart>().Single(p => p.ContentType.IsMimeType("text", "calendar"));
        Assert.That(part.ContentType.Parameters["method"], Is.EqualTo("REQUEST"));
        Assert.That(part.Text, Does.Contain("METHOD:REQUEST").And.Contain("UID:sched-planning").And.Not.Contain("SCHEDULE-STATUS"));
        Assert.That(mail.Subject, Is.EqualTo("Invitation: Planning"));

        // bob accepts through CalDAV: alice's copy shows it and her inbox has the REPLY
        var accepted = bobCopy.Replace("PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.org", "PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:bob@example.org", StringComparison.Ordinal);
        Assert.That(accepted, Is.Not.EqualTo(bobCopy));
        Assert.That((await _bob.PutCalendarAsync(bobCopyHref, accepted)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        aliceCopy = Unfold(await _alice.GetTextAsync(AliceCalendar + "planning.ics"));
        Assert.That(aliceCopy, Does.Match("ATTENDEE;[^\r\n]*PARTSTAT=ACCEPTED[^\r\n]*:mailto:bob@example.org"));
        Assert.That((await _alice.MemberAsync(AliceInbox, "sched-planning")).Text, Does.Contain("METHOD:REPLY").And.Contain("mailto:bob@example.org"));

        // carol answers by mail to the MX: alice's copy shows her answer
        await SendReplyAsync(Carol, "sched-planning", "TENTATIVE");
        aliceCopy = Unfold(await _alice.GetTextAsync(AliceCalendar + "planning.ics"));
        Assert.That(aliceCopy, Does.Match("ATTENDEE;[^\r\n]*PARTSTAT=TENTATIVE[^\r\n]*:mailto:carol@remote.example"));
        Assert.That(aliceCopy, Does.Match("ATTENDEE;[^\r\n]*PARTSTAT=ACCEPTED[^\r\n]*:mailto:bob@example.org"), "bob's answer stays");

        // alice's client saves its stale copy (both still NEEDS-ACTION): the answers are the attendees', they stay
        Assert.That((await _alice.PutCalendarAsync(AliceCalendar + "planning.ics", Invitation("sched-planning"))).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        aliceCopy = Unfold(await _alice.GetTextAsync(AliceCalendar + "planning.ics"));
        Assert.That(aliceCopy, Does.Match("ATTENDEE;[^\r\n]*PARTSTAT=ACCEPTED[^\r\n]*:mailto:bob@example.org"));
        Assert.That(aliceCopy, Does.Match("ATTENDEE;[^\r\n]*PARTSTAT=TENTATIVE[^\r\n]*:mailto:carol@remote.example"));
    }

    [Test]
    public async Task A_reply_mail_from_someone_other_than_the_attendee_changes_nothing()
    {
        Assert.That((await _alice.PutCalendarAsync(AliceCalendar + "forged.ics", Invitation("sched-forged"))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var before = await _alice.GetTextAsync(AliceCalendar + "forged.ics");

        await SendReplyAsync("mallory@remote.example", "sched-forged", "DECLINED", attendee: Carol);

        Assert.That(await _alice.GetTextAsync(AliceCalendar + "forged.ics"), Is.EqualTo(before));
    }

    [Test]
    public async Task Deleting_the_event_cancels_it_for_bob_and_carol_and_bob_deleting_his_copy_declines()
    {
        Assert.That((await _alice.PutCalendarAsync(AliceCalendar + "cancelled.ics", Invitation("sched-cancelled"))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await _alice.PutCalendarAsync(AliceCalendar + "declined.ics", Invitation("sched-declined"))).StatusCode, Is.EqualTo(HttpStatusCode.Created));

        // bob removes one invitation from his calendar: alice sees him decline
        var (declinedHref, _) = await _bob.MemberAsync(BobCalendar, "sched-declined");
        Assert.That((await _bob.SendAsync("DELETE", declinedHref)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(Unfold(await _alice.GetTextAsync(AliceCalendar + "declined.ics")), Does.Match("ATTENDEE;[^\r\n]*PARTSTAT=DECLINED[^\r\n]*:mailto:bob@example.org"));

        // alice deletes the other: bob's copy is cancelled, carol gets an iMIP CANCEL
        Assert.That((await _alice.SendAsync("DELETE", AliceCalendar + "cancelled.ics")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var (_, bobCopy) = await _bob.MemberAsync(BobCalendar, "sched-cancelled");
        Assert.That(bobCopy, Does.Contain("STATUS:CANCELLED"));
        Assert.That((await _bob.MembersAsync(BobInbox)).Select(m => m.Text).Where(t => t.Contains("sched-cancelled", StringComparison.Ordinal)),
            Has.Some.Contains("METHOD:CANCEL"));
        await _server.EventuallyAsync(() => Task.FromResult(_sink.Messages.Any(m => m.Data.Contains("sched-cancelled", StringComparison.Ordinal) && m.Data.Contains("method=CANCEL", StringComparison.Ordinal))));
    }

    [Test]
    public async Task Rescheduling_sends_a_new_request_and_keeps_bobs_answer()
    {
        Assert.That((await _alice.PutCalendarAsync(AliceCalendar + "moved.ics", Invitation("sched-moved"))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var (href, bobCopy) = await _bob.MemberAsync(BobCalendar, "sched-moved");
        Assert.That((await _bob.PutCalendarAsync(href, bobCopy.Replace("PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.org", "PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:bob@example.org", StringComparison.Ordinal))).StatusCode,
            Is.EqualTo(HttpStatusCode.NoContent));

        var moved = (await _alice.GetTextAsync(AliceCalendar + "moved.ics")).Replace("DTSTART:20261201T100000Z", "DTSTART:20261201T090000Z", StringComparison.Ordinal);
        Assert.That((await _alice.PutCalendarAsync(AliceCalendar + "moved.ics", moved)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var (_, updated) = await _bob.MemberAsync(BobCalendar, "sched-moved");
        Assert.That(updated, Does.Contain("DTSTART:20261201T090000Z"));
        Assert.That(Unfold(updated), Does.Match("ATTENDEE;[^\r\n]*PARTSTAT=ACCEPTED[^\r\n]*:mailto:bob@example.org"));
        Assert.That((await _bob.MembersAsync(BobInbox)).Count(m => m.Text.Contains("sched-moved", StringComparison.Ordinal) && m.Text.Contains("METHOD:REQUEST", StringComparison.Ordinal)),
            Is.EqualTo(2));
    }

    [Test]
    public async Task An_alias_of_alice_is_one_of_her_calendar_user_addresses_and_organizes_as_her()
    {
        var alias = await Cli.ServerProcess.RunAsync(_server.DataDirectory, null, "alias", "add", "a.smith@example.org", DavServer.Alice);
        Assert.That(alias.ExitCode, Is.Zero, alias.Stderr);
        var principal = (await (await _alice.SendAsync("PROPFIND", "/dav/principals/alice@example.org/",
            "<D:propfind xmlns:D='DAV:' xmlns:C='urn:ietf:params:xml:ns:caldav'><D:prop><C:calendar-user-address-set/></D:prop></D:propfind>",
            headers: ("Depth", "0"))).MultistatusAsync()).Response("/dav/principals/alice@example.org/");
        Assert.That(principal.Found(C + "calendar-user-address-set")!.Elements(D + "href").Select(h => h.Value),
            Is.EqualTo(new[] { "mailto:alice@example.org", "mailto:a.smith@example.org", "/dav/principals/alice@example.org/" }));

        var put = await _alice.PutCalendarAsync(AliceCalendar + "alias.ics", Event("sched-alias", "20261203T100000Z", "20261203T110000Z", "Alias",
            "ORGANIZER:mailto:a.smith@example.org", "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:bob@example.org"));
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await _bob.MemberAsync(BobInbox, "sched-alias")).Text, Does.Contain("METHOD:REQUEST").And.Contain("ORGANIZER:mailto:a.smith@example.org"));
    }

    [Test]
    public async Task A_client_cannot_write_into_the_schedule_inbox()
    {
        var put = await _alice.PutCalendarAsync(AliceInbox + "mine.ics", Event("sched-inbox-put", "20261201T100000Z", "20261201T110000Z"));
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That((await _alice.SendAsync("MKCALENDAR", "/dav/calendars/alice@example.org/outbox/")).StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
    }

    /// <summary>Attendee availability as Apple Calendar and Thunderbird ask it: a VFREEBUSY REQUEST POSTed to the organizer's outbox.</summary>
    [Test]
    public async Task A_free_busy_post_to_the_outbox_tells_a_local_users_busy_time()
    {
        Assert.That((await _bob.PutCalendarAsync(BobCalendar + "busy.ics", Event("sched-busy", "20261215T100000Z", "20261215T110000Z", "Private"))).StatusCode,
            Is.EqualTo(HttpStatusCode.Created));
        var response = await _alice.SendAsync("POST", "/dav/calendars/alice@example.org/outbox/", FreeBusyRequest(DavServer.Alice), "text/calendar");
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        var answers = System.Xml.Linq.XDocument.Parse(text).Root!.Elements(C + "response")
            .ToDictionary(r => r.Element(C + "recipient")!.Element(D + "href")!.Value);
        Assert.That(answers["mailto:bob@example.org"].Element(C + "request-status")!.Value, Does.StartWith("2.0"));
        var busy = answers["mailto:bob@example.org"].Element(C + "calendar-data")!.Value;
        Assert.That(busy, Does.Contain("METHOD:REPLY").And.Contain("FREEBUSY;FBTYPE=BUSY:20261215T100000Z/20261215T110000Z").And.Not.Contain("Private"));
        Assert.That(answers["mailto:carol@remote.example"].Element(C + "request-status")!.Value, Does.StartWith("3.7"));

        var asBob = await _alice.SendAsync("POST", "/dav/calendars/alice@example.org/outbox/", FreeBusyRequest(DavServer.Bob), "text/calendar");
        Assert.That(asBob.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "only as oneself");
        var broken = await _alice.SendAsync("POST", "/dav/calendars/alice@example.org/outbox/", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar");
        Assert.That(broken.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    /// <summary>RFC 5546 §3.2.3 with RECURRENCE-ID: bob declines one occurrence of a weekly meeting, the rest stays accepted.</summary>
    [Test]
    public async Task Bob_declining_one_occurrence_replies_for_that_occurrence_only()
    {
        Assert.That((await _alice.PutCalendarAsync(AliceCalendar + "weekly.ics", Event("sched-weekly", "20261207T100000Z", "20261207T110000Z", "Weekly",
            "RRULE:FREQ=WEEKLY;COUNT=4", "ORGANIZER:mailto:alice@example.org", "ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.org",
            "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:bob@example.org"))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var (href, bobCopy) = await _bob.MemberAsync(BobCalendar, "sched-weekly");
        var accepted = bobCopy.Replace("PARTSTAT=NEEDS-ACTION:mailto:bob@example.org", "PARTSTAT=ACCEPTED:mailto:bob@example.org", StringComparison.Ordinal);
        Assert.That((await _bob.PutCalendarAsync(href, accepted)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        // his client overrides the second occurrence with his decline, as Apple Calendar and Thunderbird do
        var declinedOnce = accepted.Replace("END:VCALENDAR", "BEGIN:VEVENT\r\nUID:sched-weekly\r\nDTSTAMP:20261101T000000Z\r\nRECURRENCE-ID:20261214T100000Z\r\n" +
            "DTSTART:20261214T100000Z\r\nDTEND:20261214T110000Z\r\nSUMMARY:Weekly\r\nORGANIZER:mailto:alice@example.org\r\n" +
            "ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.org\r\nATTENDEE;PARTSTAT=DECLINED:mailto:bob@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR", StringComparison.Ordinal);
        Assert.That((await _bob.PutCalendarAsync(href, declinedOnce)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var replies = (await _alice.MembersAsync(AliceInbox)).Select(m => m.Text).Where(t => t.Contains("UID:sched-weekly", StringComparison.Ordinal)).ToList();
        Assert.That(replies, Has.Count.EqualTo(2));
        Assert.That(replies, Has.One.Contains("RECURRENCE-ID:20261214T100000Z").And.Contains("PARTSTAT=DECLINED"));
        var aliceCopy = Unfold(await _alice.GetTextAsync(AliceCalendar + "weekly.ics"));
        var instances = aliceCopy.Split("BEGIN:VEVENT").Skip(1).ToList();
        Assert.That(instances, Has.Count.EqualTo(2), "alice's copy got an override for that occurrence");
        Assert.That(instances[0], Does.Contain("RRULE").And.Match("ATTENDEE;[^\r\n]*PARTSTAT=ACCEPTED[^\r\n]*:mailto:bob@example.org"));
        Assert.That(instances[1], Does.Contain("RECURRENCE-ID:20261214T100000Z").And.Match("ATTENDEE;[^\r\n]*PARTSTAT=DECLINED[^\r\n]*:mailto:bob@example.org"));
    }

    /// <summary>RFC 6638 §3.2.10 and §8.3: the tag follows the organizer's scheduled changes, not the attendees' answers.</summary>
    [Test]
    public async Task The_schedule_tag_changes_when_alice_reschedules_not_when_bob_answers()
    {
        var put = await _alice.PutCalendarAsync(AliceCalendar + "tagged.ics", Invitation("sched-tagged"));
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var aliceTag = ScheduleTag(put);
        Assert.That(ScheduleTag(await _alice.GetAsync(AliceCalendar + "tagged.ics")), Is.EqualTo(aliceTag));

        var (href, bobCopy) = await _bob.MemberAsync(BobCalendar, "sched-tagged");
        var bobTag = ScheduleTag(await _bob.GetAsync(href));
        var property = (await (await _bob.SendAsync("PROPFIND", href, "<D:propfind xmlns:D='DAV:' xmlns:C='urn:ietf:params:xml:ns:caldav'><D:prop><C:schedule-tag/></D:prop></D:propfind>",
            headers: ("Depth", "0"))).MultistatusAsync()).Response(href).Found(C + "schedule-tag")!.Value;
        Assert.That(property, Is.EqualTo(bobTag));

        // bob answers: his tag stays, and alice's copy (the reply merged into it) keeps hers
        var accepted = bobCopy.Replace("PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.org", "PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:bob@example.org", StringComparison.Ordinal);
        var answer = await _bob.PutCalendarAsync(href, accepted, ("If-Schedule-Tag-Match", bobTag));
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(ScheduleTag(answer), Is.EqualTo(bobTag));
        var aliceCopy = await _alice.GetAsync(AliceCalendar + "tagged.ics");
        Assert.That(ScheduleTag(aliceCopy), Is.EqualTo(aliceTag));
        Assert.That(Unfold(await aliceCopy.Content.ReadAsStringAsync()), Does.Match("ATTENDEE;[^\r\n]*PARTSTAT=ACCEPTED[^\r\n]*:mailto:bob@example.org"));

        // alice's client, unaware of the reply, saves with the tag it has: accepted, bob's answer kept
        var moved = Invitation("sched-tagged").Replace("DTSTART:20261201T100000Z", "DTSTART:20261201T093000Z", StringComparison.Ordinal);
        var reschedule = await _alice.PutCalendarAsync(AliceCalendar + "tagged.ics", moved, ("If-Schedule-Tag-Match", aliceTag));
        Assert.That(reschedule.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(ScheduleTag(reschedule), Is.Not.EqualTo(aliceTag), "the organizer's change was scheduled");
        Assert.That((await _alice.PutCalendarAsync(AliceCalendar + "tagged.ics", Invitation("sched-tagged"), ("If-Schedule-Tag-Match", aliceTag))).StatusCode,
            Is.EqualTo(HttpStatusCode.PreconditionFailed));

        // bob's copy got the new time: his old tag is stale, his write and his delete are refused, nothing changes
        var (_, rescheduled) = await _bob.MemberAsync(BobCalendar, "sched-tagged");
        Assert.That(rescheduled, Does.Contain("DTSTART:20261201T093000Z"));
        Assert.That(ScheduleTag(await _bob.GetAsync(href)), Is.Not.EqualTo(bobTag));
        var stale = await _bob.PutCalendarAsync(href, accepted, ("If-Schedule-Tag-Match", bobTag));
        Assert.That(stale.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        Assert.That((await _bob.SendAsync("DELETE", href, headers: ("If-Schedule-Tag-Match", bobTag))).StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        Assert.That((await _bob.MemberAsync(BobCalendar, "sched-tagged")).Text, Is.EqualTo(rescheduled));

        // an event without organizer is no scheduling object: no tag, and If-Schedule-Tag-Match fails
        var plain = await _bob.PutCalendarAsync(BobCalendar + "plain-tag.ics", Event("sched-plain-tag", "20261201T100000Z", "20261201T110000Z"));
        Assert.That(plain.Headers.Contains("Schedule-Tag"), Is.False);
        Assert.That((await _bob.PutCalendarAsync(BobCalendar + "plain-tag.ics", Event("sched-plain-tag", "20261201T100000Z", "20261201T120000Z"),
            ("If-Schedule-Tag-Match", bobTag))).StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
    }

    private static string ScheduleTag(HttpResponseMessage response)
    {
        Assert.That(response.Headers.TryGetValues("Schedule-Tag", out var values), Is.True, $"{response.RequestMessage!.Method} has a Schedule-Tag");
        return values!.Single();
    }

    /// <summary>RFC 6047 inbound: an outside organizer's REQUEST, the local attendee's answer by CalDAV going back as iMIP, updates and a CANCEL.</summary>
    [Test]
    public async Task Carol_invites_bob_by_mail_bob_accepts_by_caldav_and_his_reply_leaves_by_imip()
    {
        await SendImipAsync(Carol, DavServer.Bob, "REQUEST", "Invitation: Offsite", CarolsInvitation("REQUEST", "imip-offsite", 0, "20261101T080000Z"));

        Assert.That((await _bob.MemberAsync(BobInbox, "imip-offsite")).Text, Does.Contain("METHOD:REQUEST").And.Contain("ORGANIZER;CN=Carol:mailto:carol@remote.example"));
        var found = await (await _bob.SendAsync("REPORT", BobCalendar, """
            <C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop>
              <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20261210T000000Z" end="20261211T000000Z"/></C:comp-filter></C:comp-filter></C:filter>
            </C:calendar-query>
            """, headers: ("Depth", "1"))).MultistatusAsync();
        var bobCopy = found.Descendants(C + "calendar-data").Select(d => d.Value).Single(t => t.Contains("UID:imip-offsite", StringComparison.Ordinal));
        Assert.That(bobCopy, Does.Not.Contain("METHOD"));
        Assert.That(Unfold(bobCopy), Does.Contain("PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.org"));

        // bob accepts in his calendar client: the REPLY goes to carol through the outbound queue
        var (href, stored) = await _bob.MemberAsync(BobCalendar, "imip-offsite");
        var accepted = stored.Replace("PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.org", "PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:bob@example.org", StringComparison.Ordinal);
        Assert.That((await _bob.PutCalendarAsync(href, accepted)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await _server.EventuallyAsync(() => Task.FromResult(_sink.Messages.Any(m => m.Data.Contains("imip-offsite", StringComparison.Ordinal))));
        var sent = _sink.Messages.Single(m => m.Data.Contains("imip-offsite", StringComparison.Ordinal));
        Assert.That((sent.MailFrom, sent.Recipients), Is.EqualTo((DavServer.Bob, new[] { Carol })));
        var reply = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(sent.Data))).BodyParts.OfType<TextPart>()
            .Single(p => p.ContentType.IsMimeType("text", "calendar"));
        Assert.That(reply.ContentType.Parameters["method"], Is.EqualTo("REPLY"));
        Assert.That(Unfold(reply.Text), Does.Contain("METHOD:REPLY").And.Match("ATTENDEE;[^\r\n]*PARTSTAT=ACCEPTED[^\r\n]*:mailto:bob@example.org"));

        // an update that asks nothing new (same SEQUENCE, later DTSTAMP) keeps bob's answer; a stale one changes nothing
        await SendImipAsync(Carol, DavServer.Bob, "REQUEST", "Updated: Offsite", CarolsInvitation("REQUEST", "imip-offsite", 0, "20261102T080000Z", extra: "LOCATION:Harbour"));
        (_, stored) = await _bob.MemberAsync(BobCalendar, "imip-offsite");
        Assert.That(Unfold(stored), Does.Contain("LOCATION:Harbour").And.Match("ATTENDEE;[^\r\n]*PARTSTAT=ACCEPTED[^\r\n]*:mailto:bob@example.org"));
        await SendImipAsync(Carol, DavServer.Bob, "REQUEST", "Invitation: Offsite", CarolsInvitation("REQUEST", "imip-offsite", 0, "20261101T080000Z"));
        Assert.That((await _bob.MemberAsync(BobCalendar, "imip-offsite")).Text, Is.EqualTo(stored), "older than what bob has");

        // carol moves it (SEQUENCE 1): the new time, and bob is asked again
        await SendImipAsync(Carol, DavServer.Bob, "REQUEST", "Updated: Offsite", CarolsInvitation("REQUEST", "imip-offsite", 1, "20261103T080000Z", "20261211T140000Z", "20261211T150000Z"));
        (_, stored) = await _bob.MemberAsync(BobCalendar, "imip-offsite");
        Assert.That(Unfold(stored), Does.Contain("DTSTART:20261211T140000Z").And.Contain("PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.org"));

        // carol cancels: bob's copy is cancelled, the CANCEL is in his inbox
        await SendImipAsync(Carol, DavServer.Bob, "CANCEL", "Cancelled: Offsite", CarolsInvitation("CANCEL", "imip-offsite", 2, "20261104T080000Z", "20261211T140000Z", "20261211T150000Z"));
        Assert.That((await _bob.MemberAsync(BobCalendar, "imip-offsite")).Text, Does.Contain("STATUS:CANCELLED"));
        Assert.That((await _bob.MembersAsync(BobInbox)).Select(m => m.Text).Where(t => t.Contains("imip-offsite", StringComparison.Ordinal)), Has.Some.Contains("METHOD:CANCEL"));
    }

    [Test]
    public async Task A_cancel_of_one_instance_from_outside_removes_only_that_instance()
    {
        await SendImipAsync(Carol, DavServer.Bob, "REQUEST", "Invitation: Weekly", CarolsInvitation("REQUEST", "imip-weekly", 0, "20261101T080000Z",
            "20270104T090000Z", "20270104T093000Z", extra: "RRULE:FREQ=WEEKLY;COUNT=4"));
        var cancel = CarolsInvitation("CANCEL", "imip-weekly", 1, "20261102T080000Z", "20270111T090000Z", "20270111T093000Z", extra: "RECURRENCE-ID:20270111T090000Z");
        await SendImipAsync(Carol, DavServer.Bob, "CANCEL", "Cancelled: Weekly on 11 January", cancel);

        var (_, stored) = await _bob.MemberAsync(BobCalendar, "imip-weekly");
        Assert.That(stored, Does.Contain("EXDATE:20270111T090000Z").And.Contain("RRULE:FREQ=WEEKLY;COUNT=4").And.Not.Contain("STATUS:CANCELLED"));
        foreach (var (day, expected) in new[] { ("20270111", 0), ("20270118", 1) })
        {
            var query = await (await _bob.SendAsync("REPORT", BobCalendar, $"""
                <C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data/></D:prop>
                  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="{day}T000000Z" end="{day}T235959Z"/></C:comp-filter></C:comp-filter></C:filter>
                </C:calendar-query>
                """, headers: ("Depth", "1"))).MultistatusAsync();
            Assert.That(query.Descendants(C + "calendar-data").Count(d => d.Value.Contains("UID:imip-weekly", StringComparison.Ordinal)), Is.EqualTo(expected), day);
        }
    }

    [Test]
    public async Task An_invitation_mail_whose_organizer_is_not_its_sender_or_is_local_stores_nothing()
    {
        await SendImipAsync("mallory@remote.example", DavServer.Bob, "REQUEST", "Invitation: Offsite", CarolsInvitation("REQUEST", "imip-forged", 0, "20261101T080000Z"));
        await SendImipAsync(DavServer.Alice, DavServer.Bob, "REQUEST", "Invitation: Offsite",
            CarolsInvitation("REQUEST", "imip-local", 0, "20261101T080000Z", organizer: DavServer.Alice), envelopeFrom: "mallory@remote.example");
        // a CANCEL from someone else for an event bob has: his copy stays
        Assert.That((await _alice.PutCalendarAsync(AliceCalendar + "kept.ics", Invitation("sched-kept"))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var (_, before) = await _bob.MemberAsync(BobCalendar, "sched-kept");
        await SendImipAsync(Carol, DavServer.Bob, "CANCEL", "Cancelled", CarolsInvitation("CANCEL", "sched-kept", 5, "20261201T080000Z"));

        var texts = (await _bob.MembersAsync(BobCalendar)).Concat(await _bob.MembersAsync(BobInbox)).Select(m => m.Text).ToList();
        Assert.That(texts, Has.None.Contains("imip-forged").And.None.Contains("imip-local"));
        Assert.That((await _bob.MemberAsync(BobCalendar, "sched-kept")).Text, Is.EqualTo(before));
        Assert.That(_server.Stderr, Does.Contain("the sender is not the organizer").And.Contain("the organizer claims an address served here")
            .And.Contain("organized by someone else"));
    }

    private static string FreeBusyRequest(string organizer)
        => "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//fb//EN\r\nMETHOD:REQUEST\r\nBEGIN:VFREEBUSY\r\nUID:fb-1\r\n" +
           "DTSTAMP:20261101T000000Z\r\nDTSTART:20261215T000000Z\r\nDTEND:20261216T000000Z\r\n" +
           $"ORGANIZER:mailto:{organizer}\r\nATTENDEE:mailto:bob@example.org\r\nATTENDEE:mailto:carol@remote.example\r\nEND:VFREEBUSY\r\nEND:VCALENDAR\r\n";

    private static string Invitation(string uid) => Event(uid, "20261201T100000Z", "20261201T110000Z", "Planning",
        "ORGANIZER;CN=Alice:mailto:alice@example.org",
        "ATTENDEE;CN=Alice;PARTSTAT=ACCEPTED:mailto:alice@example.org",
        "ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.org",
        "ATTENDEE;CN=Carol;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:carol@remote.example");

    /// <summary>An iMIP REPLY (RFC 6047 §2.4) as a mail client sends it, to the server's MX listener.</summary>
    private Task SendReplyAsync(string from, string uid, string partStat, string? attendee = null)
    {
        var reply = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//remote//mail//EN\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\n" +
                    $"UID:{uid}\r\nDTSTAMP:20261102T000000Z\r\nDTSTART:20261201T100000Z\r\nDTEND:20261201T110000Z\r\nSUMMARY:Planning\r\n" +
                    $"ORGANIZER:mailto:alice@example.org\r\nATTENDEE;PARTSTAT={partStat}:mailto:{attendee ?? from}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        return SendImipAsync(from, DavServer.Alice, "REPLY", "Re: Invitation: Planning", reply);
    }

    /// <summary>An iMIP message (RFC 6047 §2.4: multipart/alternative with a <c>text/calendar; method=…</c> part) to the MX, from <paramref name="from"/> (also the envelope sender unless given).</summary>
    private async Task SendImipAsync(string from, string to, string method, string subject, string itip, string? envelopeFrom = null)
    {
        var message = new MimeMessage { Subject = subject };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        var calendar = new TextPart("calendar") { Text = itip };
        calendar.ContentType.Parameters.Add("method", method);
        message.Body = new MultipartAlternative { new TextPart("plain") { Text = subject }, calendar };
        using var smtp = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await smtp.ConnectAsync("127.0.0.1", _server.MxPort!.Value, SecureSocketOptions.None);
        await smtp.SendAsync(message, MailboxAddress.Parse(envelopeFrom ?? from), [MailboxAddress.Parse(to)]);
        await smtp.DisconnectAsync(true);
    }

    /// <summary>An invitation from carol's mail client (outside): METHOD:REQUEST or CANCEL, bob and carol attending.</summary>
    private static string CarolsInvitation(string method, string uid, int sequence, string stamp, string start = "20261210T140000Z", string end = "20261210T150000Z",
        string organizer = Carol, params string[] extra)
        => "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//remote//mail//EN\r\n" + $"METHOD:{method}\r\nBEGIN:VEVENT\r\n" +
           $"UID:{uid}\r\nDTSTAMP:{stamp}\r\nSEQUENCE:{sequence}\r\nDTSTART:{start}\r\nDTEND:{end}\r\nSUMMARY:Offsite\r\n" +
           (method == "CANCEL" ? "STATUS:CANCELLED\r\n" : "") +
           $"ORGANIZER;CN=Carol:mailto:{organizer}\r\nATTENDEE;CN=Carol;PARTSTAT=ACCEPTED:mailto:{organizer}\r\n" +
           "ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.org\r\n" +
           string.Concat(extra.Select(e => e + "\r\n")) + "END:VEVENT\r\nEND:VCALENDAR\r\n";

    private static string Unfold(string text) => text.Replace("\r\n ", "", StringComparison.Ordinal);
}
