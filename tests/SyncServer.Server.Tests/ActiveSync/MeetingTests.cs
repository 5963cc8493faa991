using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SyncServer.Protocols.ActiveSync.Wbxml;
using SyncServer.Server.Tests.Cli;
using SyncServer.Server.Tests.Smtp.Outbound;
using static SyncServer.Server.Tests.Dav.Dav;

namespace SyncServer.Server.Tests.ActiveSync;

/// <summary>
/// Meeting invitations by mail on a phone (client-requirements EAS-MR-01, A.5.1 MeetingRequest): bob's phones see iMIP
/// mail as meeting requests and answer them with MeetingResponse. The organizer is alice (a local user organizing over
/// CalDAV, whose client also mails the invitation) or carol outside (remote.example, whose MX is an <see cref="SmtpSink"/>
/// found through the <see cref="DnsFixture"/>; her invitations arrive at the MX listener). A 14.1 phone's answer sends
/// nothing (its client mails the reply itself); a 16.1 phone's SendResponse has the server send it.
/// </summary>
public sealed class MeetingTests
{
    private const string Carol = "carol@remote.example";
    private const string BobCalendar = "/dav/calendars/bob@example.org/calendar/";
    private const string AliceCalendar = "/dav/calendars/alice@example.org/calendar/";
    private static readonly XNamespace AirSync = ActiveSyncNamespaces.AirSync;
    private static readonly XNamespace Email = ActiveSyncNamespaces.Email;
    private static readonly XNamespace Mr = ActiveSyncNamespaces.MeetingResponse;
    private static readonly XNamespace Rr = ActiveSyncNamespaces.ResolveRecipients;

    private SmtpSink _sink = null!;
    private DnsFixture _dns = null!;
    private EasServer _server = null!;
    private EasDevice _iphone = null!;
    private EasDevice _android = null!;
    private HttpClient _aliceDav = null!;
    private HttpClient _bobDav = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _sink = new SmtpSink();
        _dns = new DnsFixture().Mx("remote.example", 10, "mx.remote.example").A("mx.remote.example", IPAddress.Loopback);
        _server = await EasServer.StartAsync(new Dictionary<string, string>
        {
            ["SYNCSERVER__SERVERNAME"] = "mx.example.org",
            ["SYNCSERVER__DNS__SERVER"] = _dns.Server,
            ["SYNCSERVER__QUEUE__REMOTEPORT"] = _sink.Port.ToString(CultureInfo.InvariantCulture),
        }, withMx: true);
        await EasMail.AddBobAsync(_server);
        _iphone = new EasDevice(_server, "bobiphone", "iPhone", "16.1", user: EasMail.Bob, password: EasMail.BobPassword);
        _android = new EasDevice(_server, "bobandroid", "Android", "14.1", user: EasMail.Bob, password: EasMail.BobPassword);
        await _iphone.ProvisionAsync();
        await _android.ProvisionAsync();
        _aliceDav = DavClient(EasServer.User, EasServer.Password);
        _bobDav = DavClient(EasMail.Bob, EasMail.BobPassword);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _iphone.Dispose();
        _android.Dispose();
        _aliceDav.Dispose();
        _bobDav.Dispose();
        await _server.DisposeAsync();
        _dns.Dispose();
        await _sink.DisposeAsync();
    }

    [Test]
    public async Task EAS_MR_01_an_imip_request_from_outside_reaches_the_phone_as_a_meeting_request()
    {
        await DeliverFromCarolAsync("mr-shown", "Weekly review", "REQUEST", "RRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=4");
        await DeliverFromCarolAsync("mr-shown-cancel", "Cancelled review", "CANCEL");
        using (var smtp = await MxAsync())
            await smtp.SendAsync(new MimeMessage([MailboxAddress.Parse(Carol)], [MailboxAddress.Parse(EasMail.Bob)], "Just mail", new TextPart("plain") { Text = "hello" }));

        var adds = await EasMail.SyncAllAsync(_iphone, await EasMail.FolderIdAsync(_iphone, 2));
        var request = AddOf(adds, "Weekly review");
        Assert.That(Eas.Value(request, Email + "MessageClass"), Is.EqualTo("IPM.Schedule.Meeting.Request"));
        Assert.That(Eas.Value(request, Email + "ContentClass"), Is.EqualTo("urn:content-classes:calendarmessage"));
        var meeting = request.Descendants(Email + "MeetingRequest").Single();
        Assert.That(Eas.Value(meeting, Email + "StartTime"), Is.EqualTo("2026-12-10T09:00:00.000Z"), "10:00 in Europe/Berlin");
        Assert.That(Eas.Value(meeting, Email + "EndTime"), Is.EqualTo("2026-12-10T10:00:00.000Z"));
        Assert.That(Eas.Value(meeting, Email + "DtStamp"), Is.EqualTo("2026-11-01T08:00:00.000Z"));
        Assert.That(Eas.Value(meeting, Email + "AllDayEvent"), Is.EqualTo("0"));
        Assert.That(Eas.Value(meeting, Email + "Organizer"), Is.EqualTo("\"Carol\" <carol@remote.example>").Or.EqualTo("Carol <carol@remote.example>"));
        Assert.That(Eas.Value(meeting.Element(ActiveSyncNamespaces.AirSyncBase + "Location")!, ActiveSyncNamespaces.AirSyncBase + "DisplayName"), Is.EqualTo("Room 1"),
            "16.x: airsyncbase:Location (email:Location up to 14.1)");
        Assert.That(Eas.Value(meeting, Email + "Reminder"), Is.EqualTo("900"), "seconds (MS-ASEMAIL 2.2.2.63)");
        Assert.That(Eas.Value(meeting, Email + "InstanceType"), Is.EqualTo("1"));
        Assert.That(Eas.Value(meeting, Email + "ResponseRequested"), Is.EqualTo("1"));
        Assert.That(Eas.Value(meeting, ActiveSyncNamespaces.Email2 + "MeetingMessageType"), Is.EqualTo("1"));
        var recurrence = meeting.Descendants(Email + "Recurrence").Single();
        Assert.That((Eas.Value(recurrence, Email + "Type"), Eas.Value(recurrence, Email + "DayOfWeek"), Eas.Value(recurrence, Email + "Occurrences")),
            Is.EqualTo(("1", "16", "4")), "weekly on Thursday, four times");
        Assert.That(Convert.FromBase64String(Eas.Value(meeting, Email + "GlobalObjId")), Is.EqualTo(ThirdPartyGlobalObjectId("mr-shown")));

        // EAS-CAL-01: Europe/Berlin as TIME_ZONE_INFORMATION: bias -60, back to standard on the last Sunday of October, daylight from the last Sunday of March
        var zone = Convert.FromBase64String(Eas.Value(meeting, Email + "TimeZone"));
        Assert.That(zone, Has.Length.EqualTo(172));
        Assert.That(BinaryPrimitives.ReadInt32LittleEndian(zone), Is.EqualTo(-60));
        Assert.That(SystemTime(zone, 68), Is.EqualTo((10, 0, 5, 3)), "StandardDate: month, day of week, week, hour");
        Assert.That(SystemTime(zone, 152), Is.EqualTo((3, 0, 5, 2)), "DaylightDate");
        Assert.That(BinaryPrimitives.ReadInt32LittleEndian(zone.AsSpan(168)), Is.EqualTo(-60));

        var cancel = AddOf(adds, "Cancelled review");
        Assert.That(Eas.Value(cancel, Email + "MessageClass"), Is.EqualTo("IPM.Schedule.Meeting.Canceled"));
        Assert.That(cancel.Descendants(Email + "MeetingRequest"), Is.Not.Empty);
        var plain = AddOf(adds, "Just mail");
        Assert.That(Eas.Value(plain, Email + "MessageClass"), Is.EqualTo("IPM.Note"));
        Assert.That(Eas.Value(plain, Email + "ContentClass"), Is.EqualTo("urn:content-classes:message"));
        Assert.That(plain.Descendants(Email + "MeetingRequest"), Is.Empty);
    }

    /// <summary>14.1: the client mails its reply itself, so the server answers in the store only.</summary>
    [Test]
    public async Task EAS_MR_01_accepting_on_14_1_files_the_event_moves_the_invitation_and_sends_nothing()
    {
        await DeliverFromCarolAsync("mr-accept-14", "Accept on Android", "REQUEST");
        var inboxId = await EasMail.FolderIdAsync(_android, 2);
        var requestId = EasMail.ServerIdOf(await EasMail.SyncAllAsync(_android, inboxId), "Accept on Android");

        var result = await AnswerAsync(_android, inboxId, requestId, 1);
        Assert.That(Eas.Value(result, Mr + "Status"), Is.EqualTo("1"));
        Assert.That(Eas.Value(result, Mr + "RequestId"), Is.EqualTo(requestId));
        Assert.That(Eas.Value(result, Mr + "CalendarId"), Is.Not.Empty);

        var (_, copy) = await _bobDav.MemberAsync(BobCalendar, "mr-accept-14");
        Assert.That(Unfold(copy), Does.Match("ATTENDEE;[^\r\n]*PARTSTAT=ACCEPTED[^\r\n]*:mailto:bob@example.org").And.Not.Contain("METHOD"));

        Assert.That((await EasMail.SyncAllAsync(_android, inboxId)).Select(SubjectOf), Does.Not.Contain("Accept on Android"));
        var deleted = await EasMail.SyncAllAsync(_android, await EasMail.FolderIdAsync(_android, 4));
        Assert.That(deleted.Select(SubjectOf), Does.Contain("Accept on Android"), "the answered invitation is in Deleted Items");

        // the reply would have been submitted before the answer: not in the queue, not at carol's MX
        Assert.That((await _server.CliAsync("queue", "list")).Stdout, Does.Not.Contain(Carol));
        Assert.That(_sink.Messages.Any(m => m.Data.Contains("mr-accept-14", StringComparison.Ordinal)), Is.False);
    }

    /// <summary>16.1 with SendResponse to a local organizer: the reply is scheduled inside the server, alice's copy shows it.</summary>
    [Test]
    public async Task EAS_MR_01_a_tentative_answer_with_send_response_on_16_1_updates_alices_copy()
    {
        var bobsHref = await AliceInvitesBobAsync("mr-internal", "Alice's planning");
        var inboxId = await EasMail.FolderIdAsync(_iphone, 2);
        var requestId = EasMail.ServerIdOf(await EasMail.SyncAllAsync(_iphone, inboxId), "Alice's planning");

        var result = await AnswerAsync(_iphone, inboxId, requestId, 2, sendResponse: true);
        Assert.That(Eas.Value(result, Mr + "Status"), Is.EqualTo("1"));

        var (href, copy) = await _bobDav.MemberAsync(BobCalendar, "mr-internal");
        Assert.That(href, Is.EqualTo(bobsHref), "the copy scheduling made is the one answered");
        Assert.That(Unfold(copy), Does.Match("ATTENDEE;[^\r\n]*PARTSTAT=TENTATIVE[^\r\n]*:mailto:bob@example.org"));
        var alices = Unfold(await _aliceDav.GetTextAsync(AliceCalendar + "mr-internal.ics"));
        Assert.That(alices, Does.Match("ATTENDEE;[^\r\n]*PARTSTAT=TENTATIVE[^\r\n]*:mailto:bob@example.org"));
    }

    [Test]
    public async Task EAS_MR_01_declining_with_send_response_removes_bobs_copy_and_alice_sees_the_decline()
    {
        await AliceInvitesBobAsync("mr-decline", "Alice's offsite");
        var inboxId = await EasMail.FolderIdAsync(_iphone, 2);
        var requestId = EasMail.ServerIdOf(await EasMail.SyncAllAsync(_iphone, inboxId), "Alice's offsite");

        var result = await AnswerAsync(_iphone, inboxId, requestId, 3, sendResponse: true);
        Assert.That(Eas.Value(result, Mr + "Status"), Is.EqualTo("1"));
        Assert.That(result.Element(Mr + "CalendarId"), Is.Null, "a declined meeting leaves the calendar, as on Exchange");

        Assert.That((await _bobDav.MembersAsync(BobCalendar)).Any(m => m.Text.Contains("UID:mr-decline\r\n", StringComparison.Ordinal)), Is.False);
        Assert.That(Unfold(await _aliceDav.GetTextAsync(AliceCalendar + "mr-decline.ics")),
            Does.Match("ATTENDEE;[^\r\n]*PARTSTAT=DECLINED[^\r\n]*:mailto:bob@example.org"));
    }

    /// <summary>16.1 with SendResponse to an organizer outside: an iMIP REPLY leaves through the outbound queue.</summary>
    [Test]
    public async Task EAS_MR_01_accepting_with_send_response_on_16_1_mails_an_imip_reply_to_an_outside_organizer()
    {
        await DeliverFromCarolAsync("mr-external", "Carol's workshop", "REQUEST");
        var inboxId = await EasMail.FolderIdAsync(_iphone, 2);
        var requestId = EasMail.ServerIdOf(await EasMail.SyncAllAsync(_iphone, inboxId), "Carol's workshop");

        var result = await AnswerAsync(_iphone, inboxId, requestId, 1, sendResponse: true);
        Assert.That(Eas.Value(result, Mr + "Status"), Is.EqualTo("1"));

        await EventuallyAsync(() => _sink.Messages.Any(m => m.Data.Contains("mr-external", StringComparison.Ordinal)));
        var sent = _sink.Messages.Single(m => m.Data.Contains("mr-external", StringComparison.Ordinal));
        Assert.That((sent.MailFrom, sent.Recipients), Is.EqualTo((EasMail.Bob, new[] { Carol })));
        var mail = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(sent.Data)));
        var part = mail.BodyParts.OfType<TextPart>().Single(p => p.ContentType.IsMimeType("text", "calendar"));
        Assert.That(part.ContentType.Parameters["method"], Is.EqualTo("REPLY"));
        Assert.That(Unfold(part.Text), Does.Contain("METHOD:REPLY").And.Match("ATTENDEE;[^\r\n]*PARTSTAT=ACCEPTED[^\r\n]*:mailto:bob@example.org")
            .And.Not.Contain("mailto:carol@remote.example\r\nATTENDEE"));
        var (_, copy) = await _bobDav.MemberAsync(BobCalendar, "mr-external");
        Assert.That(Unfold(copy), Does.Match("ATTENDEE;[^\r\n]*PARTSTAT=ACCEPTED[^\r\n]*:mailto:bob@example.org"));
    }

    [Test]
    public async Task EAS_MR_01_a_bad_request_id_answers_status_2_and_changes_nothing()
    {
        await DeliverFromCarolAsync("mr-bad-id", "Bad id", "REQUEST");
        using (var smtp = await MxAsync())
            await smtp.SendAsync(new MimeMessage([MailboxAddress.Parse(Carol)], [MailboxAddress.Parse(EasMail.Bob)], "No invitation", new TextPart("plain") { Text = "hi" }));
        var inboxId = await EasMail.FolderIdAsync(_iphone, 2);
        var adds = await EasMail.SyncAllAsync(_iphone, inboxId);
        var invitation = EasMail.ServerIdOf(adds, "Bad id");
        var calendarBefore = await _bobDav.MembersAsync(BobCalendar);

        foreach (var (collection, requestId) in new[] { (inboxId, "999999:999999"), (inboxId, "not-an-id"), (inboxId, EasMail.ServerIdOf(adds, "No invitation")),
                     (await EasMail.FolderIdAsync(_iphone, 4), invitation) })
        {
            var result = await AnswerAsync(_iphone, collection, requestId, 1, sendResponse: true);
            Assert.That(Eas.Value(result, Mr + "Status"), Is.EqualTo("2"), requestId);
        }
        // an answer for one instance names a calendar item: calendar folders are not served yet
        var (_, instance) = await _iphone.PostAsync("MeetingResponse", new XElement(Mr + "MeetingResponse", new XElement(Mr + "Request",
            new XElement(Mr + "UserResponse", 1), new XElement(Mr + "CollectionId", inboxId), new XElement(Mr + "RequestId", invitation),
            new XElement(Mr + "InstanceId", "2026-12-10T09:00:00.000Z"))));
        Assert.That(Eas.Value(instance!, Mr + "Status"), Is.EqualTo("2"));

        Assert.That((await EasMail.SyncAllAsync(_iphone, inboxId)).Select(SubjectOf), Does.Contain("Bad id").And.Contain("No invitation"));
        Assert.That(await _bobDav.MembersAsync(BobCalendar), Is.EqualTo(calendarBefore));
    }

    [Test]
    public async Task EAS_MR_01_a_malformed_request_is_a_protocol_error_and_changes_nothing()
    {
        await DeliverFromCarolAsync("mr-malformed", "Malformed answer", "REQUEST");
        var inboxId = await EasMail.FolderIdAsync(_iphone, 2);
        var requestId = EasMail.ServerIdOf(await EasMail.SyncAllAsync(_iphone, inboxId), "Malformed answer");
        var calendarBefore = await _bobDav.MembersAsync(BobCalendar);

        var (empty, _) = await _iphone.PostAsync("MeetingResponse", null);
        Assert.That(empty.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var (noRequest, _) = await _iphone.PostAsync("MeetingResponse", new XElement(Mr + "MeetingResponse", new XElement(Mr + "Result")));
        Assert.That(noRequest.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var (wrongRoot, _) = await _iphone.PostAsync("MeetingResponse", new XElement(Mr + "Request"));
        Assert.That(wrongRoot.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        foreach (var userResponse in new object?[] { null, 0, 4, "yes" })
        {
            var (_, answer) = await _iphone.PostAsync("MeetingResponse", new XElement(Mr + "MeetingResponse", new XElement(Mr + "Request",
                userResponse is null ? null : new XElement(Mr + "UserResponse", userResponse),
                new XElement(Mr + "CollectionId", inboxId), new XElement(Mr + "RequestId", requestId))));
            Assert.That(Eas.Value(answer!, Mr + "Status"), Is.EqualTo("2"), $"UserResponse {userResponse}");
        }
        var (_, noId) = await _iphone.PostAsync("MeetingResponse", new XElement(Mr + "MeetingResponse", new XElement(Mr + "Request",
            new XElement(Mr + "UserResponse", 1), new XElement(Mr + "CollectionId", inboxId))));
        Assert.That(Eas.Value(noId!, Mr + "Status"), Is.EqualTo("2"));

        Assert.That((await EasMail.SyncAllAsync(_iphone, inboxId)).Select(SubjectOf), Does.Contain("Malformed answer"));
        Assert.That(await _bobDav.MembersAsync(BobCalendar), Is.EqualTo(calendarBefore));
        var (folders, _) = await _iphone.PostAsync("FolderSync", Eas.FolderSync("0"));
        Assert.That(folders.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the server keeps serving");
    }

    /// <summary>EAS-RR-01: bob's phone resolves attendees from the directory, with alice's free/busy and no certificates.</summary>
    [Test]
    public async Task EAS_RR_01_resolve_recipients_finds_directory_users_with_their_free_busy()
    {
        var alicia = await ServerProcess.RunAsync(_server.DataDirectory, "alicia's password\n", "user", "add", "alicia@example.org", "--password-stdin", "--name", "Alicia Smith");
        Assert.That(alicia.ExitCode, Is.Zero, alicia.Stderr);
        Assert.That((await _aliceDav.PutCalendarAsync(AliceCalendar + "rr-busy.ics", Event("rr-busy", "20261215T100000Z", "20261215T110000Z"))).StatusCode,
            Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await _aliceDav.PutCalendarAsync(AliceCalendar + "rr-maybe.ics", Event("rr-maybe", "20261215T120000Z", "20261215T123000Z", "Maybe", "STATUS:TENTATIVE"))).StatusCode,
            Is.EqualTo(HttpStatusCode.Created));

        var (_, answer) = await _iphone.PostAsync("ResolveRecipients", new XElement(Rr + "ResolveRecipients",
            new XElement(Rr + "To", "alice@example.org"), new XElement(Rr + "To", "Ali"), new XElement(Rr + "To", "nobody@remote.example"),
            new XElement(Rr + "Options", new XElement(Rr + "CertificateRetrieval", 2), new XElement(Rr + "MaxAmbiguousRecipients", 1),
                new XElement(Rr + "Availability", new XElement(Rr + "StartTime", "2026-12-15T09:00:00.000Z"), new XElement(Rr + "EndTime", "2026-12-15T13:00:00.000Z")),
                new XElement(Rr + "Picture"))));
        Assert.That(Eas.Value(answer!, Rr + "Status"), Is.EqualTo("1"));
        var responses = answer!.Elements(Rr + "Response").ToDictionary(r => Eas.Value(r, Rr + "To"));

        var alice = responses["alice@example.org"];
        Assert.That((Eas.Value(alice, Rr + "Status"), Eas.Value(alice, Rr + "RecipientCount")), Is.EqualTo(("1", "1")));
        var recipient = alice.Element(Rr + "Recipient")!;
        Assert.That((Eas.Value(recipient, Rr + "Type"), Eas.Value(recipient, Rr + "DisplayName"), Eas.Value(recipient, Rr + "EmailAddress")),
            Is.EqualTo(("1", "Alice Liddell", "alice@example.org")));
        Assert.That(Eas.Value(recipient.Element(Rr + "Availability")!, Rr + "MergedFreeBusy"), Is.EqualTo("00220010"),
            "09:00–13:00 in half hours: free, busy 10–11, tentative 12:00–12:30");
        Assert.That(Eas.Value(recipient.Element(Rr + "Certificates")!, Rr + "Status"), Is.EqualTo("7"), "no certificate held");

        var ambiguous = responses["Ali"];
        Assert.That((Eas.Value(ambiguous, Rr + "Status"), Eas.Value(ambiguous, Rr + "RecipientCount")), Is.EqualTo(("3", "2")), "alice and alicia, one shown");
        Assert.That(ambiguous.Elements(Rr + "Recipient").Count(), Is.EqualTo(1));
        Assert.That(Eas.Value(responses["nobody@remote.example"], Rr + "Status"), Is.EqualTo("4"));

        var (_, noTo) = await _iphone.PostAsync("ResolveRecipients", new XElement(Rr + "ResolveRecipients", new XElement(Rr + "Options")));
        Assert.That(Eas.Value(noTo!, Rr + "Status"), Is.EqualTo("5"));
        var (_, backwards) = await _iphone.PostAsync("ResolveRecipients", new XElement(Rr + "ResolveRecipients", new XElement(Rr + "To", "alice@example.org"),
            new XElement(Rr + "Options", new XElement(Rr + "Availability", new XElement(Rr + "StartTime", "2026-12-15T13:00:00.000Z"),
                new XElement(Rr + "EndTime", "2026-12-15T09:00:00.000Z")))));
        Assert.That(Eas.Value(backwards!, Rr + "Status"), Is.EqualTo("5"));
    }

    private async Task<XElement> AnswerAsync(EasDevice phone, string collectionId, string requestId, int userResponse, bool sendResponse = false)
    {
        var (response, body) = await phone.PostAsync("MeetingResponse", new XElement(Mr + "MeetingResponse", new XElement(Mr + "Request",
            new XElement(Mr + "UserResponse", userResponse), new XElement(Mr + "CollectionId", collectionId), new XElement(Mr + "RequestId", requestId),
            sendResponse ? new XElement(Mr + "SendResponse") : null)));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), _server.Stderr);
        return body!.Elements(Mr + "Result").Single();
    }

    /// <summary>
    /// Alice organizes over CalDAV (bob gets his copy through scheduling) and, as a 14.x phone or a mail client does, also mails
    /// bob the invitation through submission. Returns bob's copy's href.
    /// </summary>
    private async Task<string> AliceInvitesBobAsync(string uid, string summary)
    {
        var ics = Event(uid, "20261211T100000Z", "20261211T110000Z", summary,
            "ORGANIZER;CN=Alice:mailto:alice@example.org", "ATTENDEE;CN=Alice;PARTSTAT=ACCEPTED:mailto:alice@example.org",
            "ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.org");
        var put = await _aliceDav.PutCalendarAsync(AliceCalendar + uid + ".ics", ics, ("If-None-Match", "*"));
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var (href, copy) = await _bobDav.MemberAsync(BobCalendar, uid);
        Assert.That(Unfold(copy), Does.Contain("PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.org"));

        using var smtp = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await smtp.ConnectAsync("127.0.0.1", _server.SubmissionPort, SecureSocketOptions.StartTls);
        await smtp.AuthenticateAsync(EasServer.User, EasServer.Password);
        await smtp.SendAsync(Invitation(EasServer.User, summary, "REQUEST", ics.Replace("VERSION:2.0\r\n", "VERSION:2.0\r\nMETHOD:REQUEST\r\n", StringComparison.Ordinal)));
        return href;
    }

    /// <summary>An iMIP message from carol (Europe/Berlin, 10:00–11:00 on 10 December 2026, a 15-minute alarm) to bob, through the MX listener.</summary>
    private async Task DeliverFromCarolAsync(string uid, string summary, string method, params string[] extra)
    {
        var ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//remote//mail//EN\r\n" + $"METHOD:{method}\r\nBEGIN:VEVENT\r\n" +
                  $"UID:{uid}\r\nDTSTAMP:20261101T080000Z\r\nDTSTART;TZID=Europe/Berlin:20261210T100000\r\nDTEND;TZID=Europe/Berlin:20261210T110000\r\n" +
                  $"SUMMARY:{summary}\r\nLOCATION:Room 1\r\nSEQUENCE:0\r\n" + string.Concat(extra.Select(e => e + "\r\n")) +
                  "ORGANIZER;CN=Carol:mailto:carol@remote.example\r\nATTENDEE;CN=Carol;PARTSTAT=ACCEPTED:mailto:carol@remote.example\r\n" +
                  "ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.org\r\n" +
                  "BEGIN:VALARM\r\nTRIGGER:-PT15M\r\nACTION:DISPLAY\r\nDESCRIPTION:Reminder\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        using var smtp = await MxAsync();
        await smtp.SendAsync(Invitation(Carol, summary, method, ics));
    }

    private static MimeMessage Invitation(string from, string subject, string method, string ics)
    {
        var calendar = new TextPart("calendar") { Text = ics };
        calendar.ContentType.Parameters.Add("method", method);
        return new MimeMessage([MailboxAddress.Parse(from)], [MailboxAddress.Parse(EasMail.Bob)], subject,
            new MultipartAlternative { new TextPart("plain") { Text = "You are invited." }, calendar });
    }

    private async Task<SmtpClient> MxAsync()
    {
        var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", _server.MxPort!.Value, SecureSocketOptions.None);
        return smtp;
    }

    /// <summary>MS-OXOCAL 2.2.1.27 with a third-party UID: the 16-byte class id, 20 zero bytes, the size, "vCal-Uid", 1, the UID, NUL.</summary>
    private static byte[] ThirdPartyGlobalObjectId(string uid)
    {
        byte[] data = [.. "vCal-Uid"u8, 1, 0, 0, 0, .. Encoding.UTF8.GetBytes(uid), 0];
        var size = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(size, data.Length);
        return [0x04, 0x00, 0x00, 0x00, 0x82, 0x00, 0xE0, 0x00, 0x74, 0xC5, 0xB7, 0x10, 0x1A, 0x82, 0xE0, 0x08, .. new byte[20], .. size, .. data];
    }

    private static (int Month, int DayOfWeek, int Week, int Hour) SystemTime(byte[] zone, int offset)
    {
        int Field(int index) => BinaryPrimitives.ReadUInt16LittleEndian(zone.AsSpan(offset + 2 * index));
        return (Field(1), Field(2), Field(3), Field(4));
    }

    private static XElement AddOf(IEnumerable<XElement> adds, string subject) => adds.Single(a => SubjectOf(a) == subject);

    private static string SubjectOf(XElement add) => Eas.Value(add, Email + "Subject");

    private HttpClient DavClient(string user, string password)
    {
        var client = _server.NewHttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }

    private async Task EventuallyAsync(Func<bool> condition)
    {
        for (var attempt = 0; attempt < 600 && !condition(); attempt++)
            await Task.Delay(100);
        Assert.That(condition(), Is.True, "not reached in 60 s; server said: " + _server.Stderr);
    }

    private static string Unfold(string text) => text.Replace("\r\n ", "", StringComparison.Ordinal);
}
