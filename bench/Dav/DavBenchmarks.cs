using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;

namespace SyncServer.Bench.Dav;

/// <summary>
/// A DAV server to measure: its base URL, one user, and the paths of that user's calendar and address book. With
/// <see cref="Files"/> (Radicale's <c>collection-root</c>) the collections are filled by writing one file per item under
/// it at the collections' paths; otherwise by PUT.
/// </summary>
public sealed record Target(string Name, Uri BaseUri, string User, string Password, string Calendar, string AddressBook, string? Files = null);

/// <summary>The sizes: the calendar and address book are filled to <see cref="Events"/> and <see cref="Cards"/>, then
/// <see cref="PutEvents"/> and <see cref="PutCards"/> more are PUT, timed.</summary>
public sealed record Sizes(int Events, int Cards, int PutEvents, int PutCards);

/// <summary>
/// The workload of issue 5: a calendar of N events (one in ten weekly recurring) and an address book of M cards, filled
/// outside the timing (by PUT, or as files for a server whose storage is files); then, timed: PUT/s of more events into the
/// filled calendar, PROPFIND Depth 1 on it, calendar-query over one month, sync-collection after one change,
/// calendar-multiget of 100, PUT/s of more cards into the filled address book, addressbook-query. Timed reads are the
/// median of five runs.
/// </summary>
public static class DavBenchmarks
{
    private const int Writers = 8;
    private const int Repeats = 5;
    private const int MultigetSize = 100;
    private static readonly XNamespace D = "DAV:";
    private static readonly XNamespace C = "urn:ietf:params:xml:ns:caldav";
    private static readonly XNamespace Card = "urn:ietf:params:xml:ns:carddav";
    private static readonly string[] Surnames = ["Smith", "Martin", "Garcia", "Müller", "Rossi", "Dubois", "Novak", "Jensen", "Silva", "Tanaka"];

    public static async Task RunAsync(Target target, Sizes sizes, Action<string, double, string> report)
    {
        using var client = Client(target);
        await FillAsync(client, target, target.Calendar, 0, sizes.Events, EventResource);
        await FillAsync(client, target, target.AddressBook, 0, sizes.Cards, CardResource);
        // The first listing of each collection, untimed: a server building caches on first read (Radicale) does it here.
        var warm = await Measure.TimeAsync(async () =>
        {
            await SendAsync(client, "PROPFIND", target.Calendar, ListingBody, ("Depth", "1"));
            await SendAsync(client, "PROPFIND", target.AddressBook, ListingBody, ("Depth", "1"));
        });
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {target.Name}: first listing of both collections (untimed) {warm.TotalSeconds:0.0} s"));

        var events = sizes.Events + sizes.PutEvents;
        var elapsed = await Measure.TimeAsync(() => PutAllAsync(client, target.Calendar, sizes.Events, sizes.PutEvents, EventResource));
        report("put_events", sizes.PutEvents / elapsed.TotalSeconds, "puts/s");

        var listed = 0;
        report("propfind_depth1", await Measure.MedianMsAsync(Repeats, async () =>
            listed = (await SendAsync(client, "PROPFIND", target.Calendar, ListingBody, ("Depth", "1")))
                .Root!.Elements(D + "response").Count()), "ms");
        Measure.Check(target.Name, "PROPFIND Depth 1 responses", listed, events + 1);

        const string query = """
            <c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/></d:prop>
              <c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">
                <c:time-range start="20260301T000000Z" end="20260401T000000Z"/>
              </c:comp-filter></c:comp-filter></c:filter></c:calendar-query>
            """;
        var matched = 0;
        report("calendar_query_month", await Measure.MedianMsAsync(Repeats, async () =>
            matched = (await SendAsync(client, "REPORT", target.Calendar, query, ("Depth", "1"))).Root!.Elements(D + "response").Count()), "ms");
        Measure.Check(target.Name, "calendar-query March 2026", matched, Enumerable.Range(0, events).Count(InMarch));

        var token = (await SendAsync(client, "PROPFIND", target.Calendar, """<d:propfind xmlns:d="DAV:"><d:prop><d:sync-token/></d:prop></d:propfind>""", ("Depth", "0")))
            .Descendants(D + "sync-token").Single().Value;
        var times = new List<double>();
        for (var round = 0; round < Repeats; round++)
        {
            await PutAsync(client, target.Calendar + $"bench-{round}.ics", Event(round, $"Changed {round}"), "text/calendar", create: false);
            var watch = Stopwatch.StartNew();
            var delta = await SendAsync(client, "REPORT", target.Calendar,
                $"""<d:sync-collection xmlns:d="DAV:"><d:sync-token>{token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>""");
            times.Add(watch.Elapsed.TotalMilliseconds);
            token = delta.Root!.Element(D + "sync-token")!.Value;
            Measure.Check(target.Name, "sync-collection after one change", delta.Root.Elements(D + "response").Count(), 1);
        }
        report("sync_collection_one_change", Measure.Median(times), "ms");

        var hrefs = string.Concat(Enumerable.Range(0, MultigetSize).Select(i => $"<d:href>{target.Calendar}bench-{i * (sizes.Events / MultigetSize)}.ics</d:href>"));
        var got = 0;
        report("calendar_multiget_100", await Measure.MedianMsAsync(Repeats, async () =>
            got = (await SendAsync(client, "REPORT", target.Calendar,
                $"""<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop>{hrefs}</c:calendar-multiget>""", ("Depth", "1")))
                .Descendants(C + "calendar-data").Count()), "ms");
        Measure.Check(target.Name, "calendar-multiget", got, MultigetSize);

        var cards = sizes.Cards + sizes.PutCards;
        elapsed = await Measure.TimeAsync(() => PutAllAsync(client, target.AddressBook, sizes.Cards, sizes.PutCards, CardResource));
        report("put_cards", sizes.PutCards / elapsed.TotalSeconds, "puts/s");
        const string cardQuery = """
            <card:addressbook-query xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/></d:prop>
              <card:filter><card:prop-filter name="FN"><card:text-match collation="i;unicode-casemap" match-type="contains">smith</card:text-match></card:prop-filter></card:filter>
            </card:addressbook-query>
            """;
        var found = 0;
        report("addressbook_query", await Measure.MedianMsAsync(Repeats, async () =>
            found = (await SendAsync(client, "REPORT", target.AddressBook, cardQuery, ("Depth", "1"))).Root!.Elements(D + "response").Count()), "ms");
        Measure.Check(target.Name, "addressbook-query FN contains smith", found, (cards + Surnames.Length - 1) / Surnames.Length);
    }

    private const string ListingBody = """<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><d:getcontenttype/></d:prop></d:propfind>""";

    private static (string Name, string Body, string Type) EventResource(int i) => ($"bench-{i}.ics", Event(i, "Meeting"), "text/calendar");

    private static (string Name, string Body, string Type) CardResource(int i) => ($"card-{i}.vcf", VCard(i), "text/vcard");

    /// <summary>
    /// Resources [<paramref name="first"/>, first + <paramref name="count"/>) put into the collection untimed: as files when the
    /// target's storage is files (the collection's directory exists: the peer script made it), else by PUT.
    /// </summary>
    private static async Task FillAsync(HttpClient client, Target target, string collection, int first, int count,
        Func<int, (string Name, string Body, string Type)> resource)
    {
        var elapsed = await Measure.TimeAsync(async () =>
        {
            if (target.Files is null)
            {
                await PutAllAsync(client, collection, first, count, resource);
                return;
            }
            var directory = Path.Combine(target.Files, collection.Trim('/'));
            if (!File.Exists(Path.Combine(directory, ".Radicale.props")))
                throw new InvalidOperationException($"{directory} is not a Radicale collection");
            foreach (var i in Enumerable.Range(first, count))
            {
                var (name, body, _) = resource(i);
                await File.WriteAllTextAsync(Path.Combine(directory, name), body);
            }
        });
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# {target.Name}: filled {collection} with {count} items {(target.Files is null ? "by PUT" : "as files")} (untimed) in {elapsed.TotalSeconds:0.0} s"));
    }

    /// <summary>Event <paramref name="i"/>: one hour on a day of 2026; one in ten repeats weekly ten times.</summary>
    private static string Event(int i, string summary)
    {
        var start = Start(i);
        var rule = i % 10 == 0 ? "RRULE:FREQ=WEEKLY;COUNT=10\r\n" : "";
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//SyncServer//bench//EN\r\nBEGIN:VEVENT\r\n" +
               $"UID:bench-{i}@example.test\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{start:yyyyMMdd'T'HHmmss'Z'}\r\n" +
               $"DTEND:{start.AddHours(1):yyyyMMdd'T'HHmmss'Z'}\r\n{rule}SUMMARY:{summary} {i}\r\nLOCATION:Room {i % 40}\r\n" +
               "DESCRIPTION:Agenda: budget\\, status and plans for the next quarter.\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    }

    private static DateTime Start(int i) => new DateTime(2026, 1, 1, 8, 0, 0, DateTimeKind.Utc).AddDays(i * 7 % 365).AddHours(i % 9);

    private static bool InMarch(int i)
    {
        var march = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        return Enumerable.Range(0, i % 10 == 0 ? 10 : 1).Select(w => Start(i).AddDays(7 * w)).Any(s => s < march.AddMonths(1) && s.AddHours(1) > march);
    }

    private static string VCard(int i)
    {
        var surname = Surnames[i % Surnames.Length];
        return "BEGIN:VCARD\r\nVERSION:3.0\r\n" +
               $"UID:card-{i}@example.test\r\nFN:Person{i} {surname}\r\nN:{surname};Person{i};;;\r\n" +
               $"EMAIL;TYPE=INTERNET:person{i}@example.test\r\nTEL;TYPE=CELL:+33 6 00 00 {i % 100:00} {i / 100 % 100:00}\r\nORG:Example {i % 50}\r\nEND:VCARD\r\n";
    }

    private static async Task PutAllAsync(HttpClient client, string collection, int first, int count, Func<int, (string Name, string Body, string Type)> resource)
        => await Parallel.ForEachAsync(Enumerable.Range(0, Writers), async (worker, _) =>
        {
            for (var i = first + worker; i < first + count; i += Writers)
            {
                var (name, body, type) = resource(i);
                await PutAsync(client, collection + name, body, type, create: true);
            }
        });

    private static async Task PutAsync(HttpClient client, string path, string body, string type, bool create)
    {
        using var response = await SendRetryingAsync(client, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new StringContent(body, Encoding.UTF8) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(type) { CharSet = "utf-8" };
            if (create)
                request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
            return request;
        });
        // A retried creation may find the first attempt stored after all (412): the resource is there either way.
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.NoContent or HttpStatusCode.OK or HttpStatusCode.PreconditionFailed))
            throw new InvalidOperationException($"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// Sends, and resends up to twice when the connection drops before an answer (Radicale's TLS server closes kept-alive
    /// connections under load); each resend is counted on stderr, so a figure that needed them says so.
    /// </summary>
    private static async Task<HttpResponseMessage> SendRetryingAsync(HttpClient client, Func<HttpRequestMessage> make)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = make();
            try
            {
                return await client.SendAsync(request);
            }
            catch (HttpRequestException e) when (attempt < 3)
            {
                Interlocked.Increment(ref _resent);
                Console.Error.WriteLine($"# resending {request.Method} {request.RequestUri} ({e.Message}); {_resent} so far");
            }
        }
    }

    private static int _resent;

    private static async Task<XDocument> SendAsync(HttpClient client, string method, string path, string body, params (string Name, string Value)[] headers)
    {
        using var response = await SendRetryingAsync(client, () =>
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/xml") { CharSet = "utf-8" };
            foreach (var (name, value) in headers)
                request.Headers.TryAddWithoutValidation(name, value);
            return request;
        });
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != 207)
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 500)]}");
        return XDocument.Parse(text);
    }

    private static HttpClient Client(Target target)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            MaxConnectionsPerServer = Writers,
        };
        var client = new HttpClient(handler) { BaseAddress = target.BaseUri, Timeout = TimeSpan.FromMinutes(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{target.User}:{target.Password}")));
        return client;
    }

}
