using System.Net;
using System.Xml.Linq;
using static SyncServer.Server.Tests.Dav.Dav;

namespace SyncServer.Server.Tests.Dav;

/// <summary>CalDAV (RFC 4791): PUT preconditions, calendar-multiget, calendar-query with filters and recurrence, expand, free-busy.</summary>
[TestFixture]
public sealed class CalDavTests : DavFixture
{
    private const string Home = "/dav/calendars/alice@example.org/";

    [TestCase("not a calendar", "valid-calendar-data")]
    [TestCase("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nEND:VCALENDAR\r\n", "valid-calendar-object-resource")]
    [TestCase("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:no-start\r\nDTSTAMP:20260101T000000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "valid-calendar-data")]
    [TestCase("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:empty-start\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "valid-calendar-data")]
    [TestCase("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:m\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "valid-calendar-object-resource")]
    [TestCase("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260101T100000Z\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:b\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "valid-calendar-object-resource")]
    public async Task Put_refuses_what_is_not_one_calendar_object(string body, string precondition)
    {
        var response = await Alice.PutCalendarAsync(Home + "calendar/bad.ics", body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var error = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(error.Root!.Name, Is.EqualTo(D + "error"));
        Assert.That(error.Root.Elements().Single().Name, Is.EqualTo(C + precondition));
        Assert.That((await Alice.GetAsync(Home + "calendar/bad.ics")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "nothing stored");
    }

    [Test]
    public async Task Put_checks_uid_conflicts_component_sets_location_and_size()
    {
        Assert.That((await Alice.PutCalendarAsync(Home + "calendar/uid-1.ics", Event("same-uid@test", "20260105T100000Z", "20260105T110000Z"))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var conflict = await Alice.PutCalendarAsync(Home + "calendar/uid-2.ics", Event("same-uid@test", "20260105T100000Z", "20260105T110000Z"));
        Assert.That(conflict.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await conflict.Content.ReadAsStringAsync(), Does.Contain("no-uid-conflict"));

        var eventInTasks = await Alice.PutCalendarAsync(Home + "tasks/e.ics", Event("e-in-tasks@test", "20260105T100000Z", "20260105T110000Z"));
        Assert.That(await eventInTasks.Content.ReadAsStringAsync(), Does.Contain("supported-calendar-component"));
        Assert.That((await Alice.PutCalendarAsync(Home + "tasks/t.ics", Todo("todo@test", "Buy milk"))).StatusCode, Is.EqualTo(HttpStatusCode.Created));

        var inHome = await Alice.PutCalendarAsync(Home + "loose.ics", Event("loose@test", "20260105T100000Z", "20260105T110000Z"));
        Assert.That(inHome.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await inHome.Content.ReadAsStringAsync(), Does.Contain("calendar-collection-location-ok"));

        var huge = Event("huge@test", "20260105T100000Z", "20260105T110000Z", "x", "DESCRIPTION:" + new string('x', 11 * 1024 * 1024));
        var tooBig = await Alice.PutCalendarAsync(Home + "calendar/huge.ics", huge);
        Assert.That(tooBig.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(await tooBig.Content.ReadAsStringAsync(), Does.Contain("max-resource-size"));
    }

    [Test]
    public async Task Calendar_multiget_returns_data_and_404_for_unknown_hrefs()
    {
        const string path = Home + "calendar/multiget.ics";
        var ics = Event("multiget@test", "20260201T100000Z", "20260201T110000Z");
        await Alice.PutCalendarAsync(path, ics);
        var response = await (await Alice.SendAsync("REPORT", Home + "calendar/", $"""
            <C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
              <D:prop><D:getetag/><C:calendar-data/></D:prop>
              <D:href>{path}</D:href><D:href>{Home}calendar/missing.ics</D:href>
            </C:calendar-multiget>
            """, headers: ("Depth", "1"))).MultistatusAsync();
        Assert.That(response.Response(path).Found(C + "calendar-data")!.Value, Is.EqualTo(ics.ReplaceLineEndings("\n")));
        Assert.That(response.Response(Home + "calendar/missing.ics").Element(D + "status")!.Value, Does.Contain("404"));
    }

    [Test]
    public async Task Calendar_query_filters_by_component_property_text_and_parameter()
    {
        await Alice.SendAsync("MKCALENDAR", Home + "filters/");
        await Alice.PutCalendarAsync(Home + "filters/lunch.ics", Event("lunch@test", "20260301T120000Z", "20260301T130000Z", "Team lunch",
            "ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@example.org"));
        await Alice.PutCalendarAsync(Home + "filters/review.ics", Event("review@test", "20260302T120000Z", "20260302T130000Z", "Code review"));
        await Alice.PutCalendarAsync(Home + "filters/todo.ics", Todo("open-todo@test", "Write report"));
        await Alice.PutCalendarAsync(Home + "filters/done.ics", Todo("done-todo@test", "Filed taxes", "COMPLETED:20260101T000000Z", "STATUS:COMPLETED"));

        Assert.That(await QueryAsync("filters", """<C:comp-filter name="VEVENT"/>"""), Is.EquivalentTo(new[] { "lunch.ics", "review.ics" }));
        Assert.That(await QueryAsync("filters", """<C:comp-filter name="VEVENT"><C:prop-filter name="SUMMARY"><C:text-match>LUNCH</C:text-match></C:prop-filter></C:comp-filter>"""),
            Is.EqualTo(new[] { "lunch.ics" }));
        Assert.That(await QueryAsync("filters", """<C:comp-filter name="VEVENT"><C:prop-filter name="SUMMARY"><C:text-match negate-condition="yes">lunch</C:text-match></C:prop-filter></C:comp-filter>"""),
            Is.EqualTo(new[] { "review.ics" }));
        Assert.That(await QueryAsync("filters", """<C:comp-filter name="VEVENT"><C:prop-filter name="ATTENDEE"><C:param-filter name="PARTSTAT"><C:text-match>ACCEPTED</C:text-match></C:param-filter></C:prop-filter></C:comp-filter>"""),
            Is.EqualTo(new[] { "lunch.ics" }));
        Assert.That(await QueryAsync("filters", """<C:comp-filter name="VTODO"><C:prop-filter name="COMPLETED"><C:is-not-defined/></C:prop-filter></C:comp-filter>"""),
            Is.EqualTo(new[] { "todo.ics" }), "Thunderbird's open-tasks query");
        var invalid = await Alice.SendAsync("REPORT", Home + "filters/", """
            <C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><C:filter/></C:calendar-query>
            """);
        Assert.That(invalid.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await invalid.Content.ReadAsStringAsync(), Does.Contain("valid-filter"));
    }

    /// <summary>The acceptance table: each recurring event is returned exactly for the windows where an instance falls.</summary>
    [TestCase("weekly.ics", "20260105T000000Z", "20260106T000000Z", true, TestName = "Weekly: first instance")]
    [TestCase("weekly.ics", "20260112T000000Z", "20260113T000000Z", false, TestName = "Weekly: EXDATE removes the second instance")]
    [TestCase("weekly.ics", "20260119T000000Z", "20260120T000000Z", false, TestName = "Weekly: the third instance was moved away from its day")]
    [TestCase("weekly.ics", "20260121T000000Z", "20260122T000000Z", true, TestName = "Weekly: the moved instance is found on its new day")]
    [TestCase("weekly.ics", "20260126T090000Z", "20260126T100000Z", true, TestName = "Weekly: a later instance")]
    [TestCase("weekly.ics", "20260126T110000Z", "20260126T120000Z", false, TestName = "Weekly: after the instance ends")]
    [TestCase("monthly.ics", "20260210T000000Z", "20260211T000000Z", true, TestName = "Monthly 2nd Tuesday: February")]
    [TestCase("monthly.ics", "20260310T000000Z", "20260311T000000Z", true, TestName = "Monthly 2nd Tuesday: March (last of COUNT=3)")]
    [TestCase("monthly.ics", "20260414T000000Z", "20260415T000000Z", false, TestName = "Monthly 2nd Tuesday: April is past COUNT")]
    [TestCase("monthly.ics", "20260203T000000Z", "20260204T000000Z", false, TestName = "Monthly 2nd Tuesday: not the first Tuesday")]
    [TestCase("yearly.ics", "20280704T000000Z", "20280705T000000Z", true, TestName = "All-day yearly: two years later")]
    [TestCase("yearly.ics", "20280705T000000Z", "20280706T000000Z", false, TestName = "All-day yearly: the day after")]
    [TestCase("yearly.ics", "20270101T000000Z", "20270601T000000Z", false, TestName = "All-day yearly: half a year without it")]
    [TestCase("paris.ics", "20260324T080000Z", "20260324T090000Z", true, TestName = "Paris: 09:00 CET before the switch is 08:00Z")]
    [TestCase("paris.ics", "20260331T070000Z", "20260331T080000Z", true, TestName = "Paris: 09:00 CEST after the switch is 07:00Z")]
    [TestCase("paris.ics", "20260331T080000Z", "20260331T090000Z", false, TestName = "Paris: 08:00Z after the switch is free")]
    public async Task Recurrence_table(string resource, string start, string end, bool expected)
    {
        await PutRecurringEventsAsync();
        var found = await QueryAsync("recurring", $"""<C:comp-filter name="VEVENT"><C:time-range start="{start}" end="{end}"/></C:comp-filter>""");
        Assert.That(found.Contains(resource), Is.EqualTo(expected), string.Join(",", found));
    }

    [Test]
    public async Task Expand_returns_each_instance_in_utc_with_its_recurrence_id()
    {
        await PutRecurringEventsAsync();
        var response = await (await Alice.SendAsync("REPORT", Home + "recurring/", """
            <C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
              <D:prop><C:calendar-data><C:expand start="20260101T000000Z" end="20260201T000000Z"/></C:calendar-data></D:prop>
              <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter name="UID"><C:text-match collation="i;octet">weekly@test</C:text-match></C:prop-filter>
                <C:time-range start="20260101T000000Z" end="20260201T000000Z"/></C:comp-filter></C:comp-filter></C:filter>
            </C:calendar-query>
            """)).MultistatusAsync();
        var data = response.Descendants(C + "calendar-data").Single().Value;
        Assert.That(data, Does.Not.Contain("RRULE").And.Not.Contain("EXDATE"));
        var starts = data.Split('\n').Where(l => l.StartsWith("DTSTART", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
        Assert.That(starts, Is.EqualTo(new[] { "DTSTART:20260105T090000Z", "DTSTART:20260121T140000Z", "DTSTART:20260126T090000Z" }));
        Assert.That(data, Does.Contain("RECURRENCE-ID:20260119T090000Z"));
    }

    [TestCase("20260201T000000Z", "20260301T000000Z", false, TestName = "Limit_recurrence_set_leaves_out_an_override_outside_the_range")]
    [TestCase("20260119T000000Z", "20260120T000000Z", true, TestName = "Limit_recurrence_set_keeps_an_override_whose_original_instance_is_in_the_range")]
    [TestCase("20260121T000000Z", "20260122T000000Z", true, TestName = "Limit_recurrence_set_keeps_an_override_that_overlaps_the_range")]
    public async Task Limit_recurrence_set(string start, string end, bool overrideKept)
    {
        await PutRecurringEventsAsync();
        var response = await (await Alice.SendAsync("REPORT", Home + "recurring/", $"""
            <C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
              <D:prop><C:calendar-data><C:limit-recurrence-set start="{start}" end="{end}"/></C:calendar-data></D:prop>
              <D:href>{Home}recurring/weekly.ics</D:href></C:calendar-multiget>
            """)).MultistatusAsync();
        var data = response.Descendants(C + "calendar-data").Single().Value;
        Assert.That(data, Does.StartWith("BEGIN:VCALENDAR").And.Contain("RRULE:FREQ=WEEKLY;BYDAY=MO").And.Contain("EXDATE:20260112T090000Z"), "the master as stored");
        Assert.That(data.Contains("RECURRENCE-ID:20260119T090000Z", StringComparison.Ordinal), Is.EqualTo(overrideKept));
        Assert.That(data.Split("BEGIN:VEVENT").Length - 1, Is.EqualTo(overrideKept ? 2 : 1));
        Assert.That(data.TrimEnd(), Does.EndWith("END:VCALENDAR"));
    }

    [Test]
    public async Task Free_busy_query_reports_busy_time_of_opaque_events()
    {
        await PutRecurringEventsAsync();
        var response = await Alice.SendAsync("REPORT", Home + "recurring/", """
            <C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="20260105T000000Z" end="20260113T000000Z"/></C:free-busy-query>
            """);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/calendar"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(text, Does.Contain("FREEBUSY;FBTYPE=BUSY:20260105T090000Z/20260105T100000Z"));
        Assert.That(text, Does.Not.Contain("20260112T090000Z"), "the EXDATE instance is free");
    }

    private bool _recurringStored;

    private async Task PutRecurringEventsAsync()
    {
        if (_recurringStored)
            return;
        await Alice.SendAsync("MKCALENDAR", Home + "recurring/");
        // Mondays 09:00Z from 5 Jan 2026; 12 Jan excluded; 19 Jan moved to Wednesday 21 Jan 14:00Z.
        await PutAsync("weekly.ics", """
            BEGIN:VCALENDAR
            VERSION:2.0
            PRODID:-//test//dav//EN
            BEGIN:VEVENT
            UID:weekly@test
            DTSTAMP:20260101T000000Z
            DTSTART:20260105T090000Z
            DTEND:20260105T100000Z
            RRULE:FREQ=WEEKLY;BYDAY=MO
            EXDATE:20260112T090000Z
            SUMMARY:Weekly
            END:VEVENT
            BEGIN:VEVENT
            UID:weekly@test
            DTSTAMP:20260101T000000Z
            RECURRENCE-ID:20260119T090000Z
            DTSTART:20260121T140000Z
            DTEND:20260121T150000Z
            SUMMARY:Weekly (moved)
            END:VEVENT
            END:VCALENDAR
            """);
        // Second Tuesday of the month, three times: 13 Jan, 10 Feb, 10 Mar 2026.
        await PutAsync("monthly.ics", """
            BEGIN:VCALENDAR
            VERSION:2.0
            PRODID:-//test//dav//EN
            BEGIN:VEVENT
            UID:monthly@test
            DTSTAMP:20260101T000000Z
            DTSTART:20260113T150000Z
            DURATION:PT1H
            RRULE:FREQ=MONTHLY;BYDAY=2TU;COUNT=3
            SUMMARY:Monthly
            END:VEVENT
            END:VCALENDAR
            """);
        await PutAsync("yearly.ics", """
            BEGIN:VCALENDAR
            VERSION:2.0
            PRODID:-//test//dav//EN
            BEGIN:VEVENT
            UID:yearly@test
            DTSTAMP:20260101T000000Z
            DTSTART;VALUE=DATE:20260704
            DTEND;VALUE=DATE:20260705
            RRULE:FREQ=YEARLY
            SUMMARY:Holiday
            END:VEVENT
            END:VCALENDAR
            """);
        // Tuesdays 09:00 Paris time across the 29 March 2026 switch to summer time.
        await PutAsync("paris.ics", """
            BEGIN:VCALENDAR
            VERSION:2.0
            PRODID:-//test//dav//EN
            BEGIN:VTIMEZONE
            TZID:Europe/Paris
            BEGIN:DAYLIGHT
            TZOFFSETFROM:+0100
            TZOFFSETTO:+0200
            TZNAME:CEST
            DTSTART:19700329T020000
            RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
            END:DAYLIGHT
            BEGIN:STANDARD
            TZOFFSETFROM:+0200
            TZOFFSETTO:+0100
            TZNAME:CET
            DTSTART:19701025T030000
            RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
            END:STANDARD
            END:VTIMEZONE
            BEGIN:VEVENT
            UID:paris@test
            DTSTAMP:20260101T000000Z
            DTSTART;TZID=Europe/Paris:20260317T090000
            DTEND;TZID=Europe/Paris:20260317T100000
            RRULE:FREQ=WEEKLY;COUNT=4
            SUMMARY:Paris standup
            END:VEVENT
            END:VCALENDAR
            """);
        _recurringStored = true;
    }

    private async Task PutAsync(string name, string ics)
    {
        var response = await Alice.PutCalendarAsync(Home + "recurring/" + name, ics.ReplaceLineEndings("\r\n") + "\r\n");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    private async Task<List<string>> QueryAsync(string calendar, string innerFilter)
    {
        var response = await (await Alice.SendAsync("REPORT", $"{Home}{calendar}/", $"""
            <C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
              <D:prop><D:getetag/></D:prop>
              <C:filter><C:comp-filter name="VCALENDAR">{innerFilter}</C:comp-filter></C:filter>
            </C:calendar-query>
            """, headers: ("Depth", "1"))).MultistatusAsync();
        return response.Hrefs().Select(h => h[(h.LastIndexOf('/') + 1)..]).ToList();
    }
}
