using System.Net;
using System.Xml.Linq;
using static SyncServer.Server.Tests.Dav.Dav;

namespace SyncServer.Server.Tests.Dav;

/// <summary>CardDAV (RFC 6352): PUT preconditions, addressbook-query with limit, addressbook-multiget with version negotiation.</summary>
[TestFixture]
public sealed class CardDavTests : DavFixture
{
    private const string Book = "/dav/addressbooks/alice@example.org/contacts/";
    [OneTimeSetUp]
    public async Task AddCardsAsync()
    {
        await PutAsync("ann.vcf", Card3("ann@test", "Ann Archer", "ann@example.com"));
        await PutAsync("ben.vcf", Card4("ben@test", "Ben Baker", "ben@work.example"));
        await PutAsync("cat.vcf", Card3("cat@test", "Cat Cooper", "cat@example.com"));
    }

    [Test]
    public async Task Put_stores_the_exact_card_and_refuses_invalid_ones()
    {
        var get = await Alice.GetAsync(Book + "ann.vcf");
        Assert.That(await get.Content.ReadAsStringAsync(), Is.EqualTo(Card3("ann@test", "Ann Archer", "ann@example.com")));
        Assert.That(get.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/vcard"));

        var noUid = await Alice.SendAsync("PUT", Book + "x.vcf", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:X\r\nN:X;;;;\r\nEND:VCARD\r\n", "text/vcard");
        Assert.That(noUid.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(XDocument.Parse(await noUid.Content.ReadAsStringAsync()).Root!.Elements().Single().Name, Is.EqualTo(Card + "valid-address-data"));

        var version21 = await Alice.SendAsync("PUT", Book + "y.vcf", "BEGIN:VCARD\r\nVERSION:2.1\r\nUID:y\r\nFN:Y\r\nN:Y;;;;\r\nEND:VCARD\r\n", "text/vcard");
        Assert.That(await version21.Content.ReadAsStringAsync(), Does.Contain("supported-address-data"));

        var duplicate = await Alice.SendAsync("PUT", Book + "ann-again.vcf", Card3("ann@test", "Ann Again", "ann2@example.com"), "text/vcard");
        Assert.That(await duplicate.Content.ReadAsStringAsync(), Does.Contain("no-uid-conflict"));

        var calendarInBook = await Alice.PutCalendarAsync(Book + "e.ics", Event("e@test", "20260101T100000Z", "20260101T110000Z"));
        Assert.That(calendarInBook.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Addressbook_query_matches_properties_and_honours_limit()
    {
        var byEmail = await QueryAsync("""<C:filter><C:prop-filter name="EMAIL"><C:text-match match-type="ends-with">@example.com</C:text-match></C:prop-filter></C:filter>""");
        Assert.That(byEmail.Hrefs(), Is.EquivalentTo(new[] { Book + "ann.vcf", Book + "cat.vcf" }));
        var byName = await QueryAsync("""<C:filter><C:prop-filter name="FN"><C:text-match>baker</C:text-match></C:prop-filter></C:filter>""");
        Assert.That(byName.Hrefs(), Is.EqualTo(new[] { Book + "ben.vcf" }));
        Assert.That(byName.Response(Book + "ben.vcf").Found(Card + "address-data")!.Value, Does.Contain("FN:Ben Baker"));

        var limited = await QueryAsync("""<C:filter><C:prop-filter name="FN"/></C:filter><C:limit><C:nresults>2</C:nresults></C:limit>""");
        Assert.That(limited.Hrefs().Count(h => h.EndsWith(".vcf", StringComparison.Ordinal)), Is.EqualTo(2));
        Assert.That(limited.Response(Book).Element(D + "status")!.Value, Does.Contain("507"));
        Assert.That(limited.Descendants(D + "number-of-matches-within-limits"), Is.Not.Empty);

        var badCollation = await Alice.SendAsync("REPORT", Book, """
            <C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/></D:prop>
              <C:filter><C:prop-filter name="FN"><C:text-match collation="i;klingon">x</C:text-match></C:prop-filter></C:filter></C:addressbook-query>
            """);
        Assert.That(badCollation.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await badCollation.Content.ReadAsStringAsync(), Does.Contain("supported-collation"));
    }

    [Test]
    public async Task Addressbook_multiget_converts_to_the_asked_version()
    {
        var response = await (await Alice.SendAsync("REPORT", Book, $"""
            <C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
              <D:prop><D:getetag/><C:address-data content-type="text/vcard" version="4.0"/></D:prop>
              <D:href>{Book}ann.vcf</D:href><D:href>{Book}ben.vcf</D:href>
            </C:addressbook-multiget>
            """)).MultistatusAsync();
        Assert.That(response.Response(Book + "ann.vcf").Found(Card + "address-data")!.Value, Does.Contain("VERSION:4.0"));
        Assert.That(response.Response(Book + "ben.vcf").Found(Card + "address-data")!.Value, Is.EqualTo(Card4("ben@test", "Ben Baker", "ben@work.example").ReplaceLineEndings("\n")));
        var unsupported = await Alice.SendAsync("REPORT", Book, $"""
            <C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
              <D:prop><C:address-data content-type="application/vcard+json"/></D:prop><D:href>{Book}ann.vcf</D:href></C:addressbook-multiget>
            """);
        Assert.That(unsupported.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    private static string Card3(string uid, string name, string email)
        => $"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nN:{name.Split(' ')[1]};{name.Split(' ')[0]};;;\r\nEMAIL;TYPE=INTERNET:{email}\r\nEND:VCARD\r\n";

    private static string Card4(string uid, string name, string email)
        => $"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:{uid}\r\nFN:{name}\r\nEMAIL;TYPE=work:{email}\r\nEND:VCARD\r\n";

    private async Task PutAsync(string name, string card)
    {
        var response = await Alice.SendAsync("PUT", Book + name, card, "text/vcard", ("If-None-Match", "*"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    private async Task<XDocument> QueryAsync(string filterAndLimit)
        => await (await Alice.SendAsync("REPORT", Book, $"""
            <C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
              <D:prop><D:getetag/><C:address-data/></D:prop>{filterAndLimit}
            </C:addressbook-query>
            """, headers: ("Depth", "1"))).MultistatusAsync();
}
