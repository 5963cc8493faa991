using System.Xml.Linq;
using SyncServer.Protocols.CardDav;
using SyncServer.Protocols.Tests.VCard;
using SyncServer.Protocols.VCard;
using Card = SyncServer.Protocols.VCard.VCard;

namespace SyncServer.Protocols.Tests.CardDav;

/// <summary>
/// The addressbook-query filter (RFC 6352 §10.5) over a small address book: each row is a CARDDAV:filter and the
/// cards it selects, as the REPORT would list them; then the preconditions a bad filter gets.
/// </summary>
public sealed class AddressBookFilterTests
{
    private static readonly Dictionary<string, Card> Book = new()
    {
        ["apple"] = Parse(VCardCorpus.Apple),
        ["davx5"] = Parse(VCardCorpus.Davx5),
        ["group"] = Parse(VCardCorpus.AppleGroup),
        ["plain"] = Parse(VCardCorpus.BareLineFeeds),
    };

    // No prop-filter: everything (RFC 6352 §10.5: "an empty filter matches all").
    [TestCase("", "apple davx5 group plain")]
    // Presence and absence.
    [TestCase("<C:prop-filter name='EMAIL'/>", "apple davx5 plain")]
    [TestCase("<C:prop-filter name='EMAIL'><C:is-not-defined/></C:prop-filter>", "group")]
    [TestCase("<C:prop-filter name='item1.EMAIL'/>", "apple")]
    // Default text-match: contains, i;unicode-casemap.
    [TestCase("<C:prop-filter name='FN'><C:text-match>JOHNNY</C:text-match></C:prop-filter>", "apple")]
    [TestCase("<C:prop-filter name='FN'><C:text-match>zoË</C:text-match></C:prop-filter>", "davx5")]
    [TestCase("<C:prop-filter name='FN'><C:text-match>astrom</C:text-match></C:prop-filter>", "")]
    // match-type, each on EMAIL, any instance of the property.
    [TestCase("<C:prop-filter name='EMAIL'><C:text-match match-type='equals'>zoe.home@example.net</C:text-match></C:prop-filter>", "davx5")]
    [TestCase("<C:prop-filter name='EMAIL'><C:text-match match-type='equals'>example.net</C:text-match></C:prop-filter>", "")]
    [TestCase("<C:prop-filter name='EMAIL'><C:text-match match-type='starts-with'>j</C:text-match></C:prop-filter>", "apple plain")]
    [TestCase("<C:prop-filter name='EMAIL'><C:text-match match-type='ends-with'>.NET</C:text-match></C:prop-filter>", "davx5")]
    // Collations: ascii-casemap folds only ASCII, octet is exact.
    [TestCase("<C:prop-filter name='FN'><C:text-match collation='i;ascii-casemap'>ZOë</C:text-match></C:prop-filter>", "davx5")]
    [TestCase("<C:prop-filter name='FN'><C:text-match collation='i;ascii-casemap'>ZOË</C:text-match></C:prop-filter>", "")]
    [TestCase("<C:prop-filter name='FN'><C:text-match collation='i;octet'>jane</C:text-match></C:prop-filter>", "")]
    [TestCase("<C:prop-filter name='FN'><C:text-match collation='i;octet'>Jane</C:text-match></C:prop-filter>", "plain")]
    // negate-condition: cards with an EMAIL none of whose... no: with an EMAIL instance not containing "example.com".
    [TestCase("<C:prop-filter name='EMAIL'><C:text-match negate-condition='yes'>example.com</C:text-match></C:prop-filter>", "apple davx5")]
    // Escaped text is matched as text (\, and \n resolved).
    [TestCase("<C:prop-filter name='NOTE'><C:text-match>two, with a comma; and</C:text-match></C:prop-filter>", "apple")]
    // Structured values match across components.
    [TestCase("<C:prop-filter name='ADR'><C:text-match>Cupertino;CA</C:text-match></C:prop-filter>", "apple")]
    // param-filter: defined, not defined, text-match on a value.
    [TestCase("<C:prop-filter name='TEL'><C:param-filter name='TYPE'/></C:prop-filter>", "apple davx5")]
    [TestCase("<C:prop-filter name='EMAIL'><C:param-filter name='TYPE'><C:is-not-defined/></C:param-filter></C:prop-filter>", "plain")]
    [TestCase("<C:prop-filter name='EMAIL'><C:param-filter name='TYPE'><C:text-match match-type='equals'>WORK</C:text-match></C:param-filter></C:prop-filter>", "apple davx5")]
    [TestCase("<C:prop-filter name='ADR'><C:param-filter name='LABEL'><C:text-match>Stockholm</C:text-match></C:param-filter></C:prop-filter>", "davx5")]
    // prop-filter test: anyof (default) vs allof over its text-matches and param-filters, per property instance.
    [TestCase("<C:prop-filter name='EMAIL'><C:text-match>zoe@</C:text-match><C:param-filter name='TYPE'><C:text-match>home</C:text-match></C:param-filter></C:prop-filter>", "davx5")]
    [TestCase("<C:prop-filter name='EMAIL' test='allof'><C:text-match>zoe@</C:text-match><C:param-filter name='TYPE'><C:text-match>home</C:text-match></C:param-filter></C:prop-filter>", "")]
    [TestCase("<C:prop-filter name='EMAIL' test='allof'><C:text-match>zoe@</C:text-match><C:param-filter name='TYPE'><C:text-match>work</C:text-match></C:param-filter></C:prop-filter>", "davx5")]
    // filter test: anyof (default) vs allof over prop-filters.
    [TestCase("<C:prop-filter name='FN'><C:text-match>Jane</C:text-match></C:prop-filter><C:prop-filter name='X-ADDRESSBOOKSERVER-KIND'/>", "group plain")]
    [TestCase("<C:prop-filter name='FN'><C:text-match>Jane</C:text-match></C:prop-filter><C:prop-filter name='X-ADDRESSBOOKSERVER-KIND'/>", "", "allof")]
    [TestCase("<C:prop-filter name='EMAIL'/><C:prop-filter name='PHOTO'/>", "davx5", "allof")]
    // Property names are case-insensitive; an X- property is found like any other.
    [TestCase("<C:prop-filter name='x-abuid'><C:text-match match-type='ends-with'>:ABPerson</C:text-match></C:prop-filter>", "apple")]
    public void Filter_selects(string propFilters, string expected, string test = "anyof")
    {
        var element = XElement.Parse($"<C:filter xmlns:C='urn:ietf:params:xml:ns:carddav' test='{test}'>{propFilters}</C:filter>");
        Assert.That(AddressBookFilterParser.TryParse(element, out var filter, out var error), Is.True, error?.Message);
        var selected = Book.Where(entry => filter.Matches(entry.Value)).Select(entry => entry.Key);
        Assert.That(string.Join(" ", selected), Is.EqualTo(expected));
    }

    [Test]
    public void The_parsed_model()
    {
        var element = XElement.Parse("""
            <C:filter xmlns:C="urn:ietf:params:xml:ns:carddav" test="allof">
              <C:prop-filter name="EMAIL" test="allof">
                <C:text-match collation="i;octet" match-type="ends-with" negate-condition="yes">@example.com</C:text-match>
                <C:param-filter name="TYPE"><C:is-not-defined/></C:param-filter>
              </C:prop-filter>
              <C:prop-filter name="NICKNAME"><C:is-not-defined/></C:prop-filter>
            </C:filter>
            """);
        Assert.That(AddressBookFilterParser.TryParse(element, out var filter, out _), Is.True);
        Assert.That(filter.Test, Is.EqualTo(CardFilterTest.AllOf));
        var email = filter.PropFilters[0];
        Assert.That((email.Name, email.Test, email.IsNotDefined), Is.EqualTo(("EMAIL", CardFilterTest.AllOf, false)));
        Assert.That(email.TextMatches, Is.EqualTo(new[] { new CardTextMatch("@example.com", CardCollation.Octet, CardMatchType.EndsWith, Negate: true) }));
        Assert.That(email.ParamFilters, Is.EqualTo(new[] { new CardParamFilter("TYPE", IsNotDefined: true) }));
        Assert.That((filter.PropFilters[1].Name, filter.PropFilters[1].IsNotDefined), Is.EqualTo(("NICKNAME", true)));
    }

    [TestCase("<C:prop-filter name='FN'><C:text-match collation='i;basic'>x</C:text-match></C:prop-filter>", "supported-collation")]
    [TestCase("<C:prop-filter name='FN'><C:param-filter name='X'><C:text-match collation='en;latin'>x</C:text-match></C:param-filter></C:prop-filter>", "supported-collation")]
    [TestCase("<C:prop-filter name='FN'><C:text-match match-type='regex'>x</C:text-match></C:prop-filter>", "supported-filter")]
    [TestCase("<C:prop-filter name='FN'><C:text-match negate-condition='maybe'>x</C:text-match></C:prop-filter>", "supported-filter")]
    [TestCase("<C:prop-filter name='FN' test='oneof'/>", "supported-filter")]
    [TestCase("<C:prop-filter/>", "supported-filter")]
    [TestCase("<C:prop-filter name=' '/>", "supported-filter")]
    [TestCase("<C:prop-filter name='FN'><C:is-not-defined/><C:text-match>x</C:text-match></C:prop-filter>", "supported-filter")]
    [TestCase("<C:prop-filter name='FN'><C:param-filter/></C:prop-filter>", "supported-filter")]
    [TestCase("<C:prop-filter name='FN'><C:param-filter name='TYPE'><C:is-not-defined/><C:is-not-defined/></C:param-filter></C:prop-filter>", "supported-filter")]
    [TestCase("<C:prop-filter name='FN'><C:time-range start='20240101T000000Z'/></C:prop-filter>", "supported-filter")]
    [TestCase("<C:comp-filter name='VCARD'/>", "supported-filter")]
    [TestCase("<D:prop-filter xmlns:D='DAV:' name='FN'/>", "supported-filter")]
    [TestCase("<C:prop-filter name='FN'><C:text-match>x<C:b/></C:text-match></C:prop-filter>", "supported-filter")]
    public void Unsupported_filters_get_their_precondition(string propFilters, string precondition)
    {
        var element = XElement.Parse($"<C:filter xmlns:C='urn:ietf:params:xml:ns:carddav'>{propFilters}</C:filter>");
        Assert.That(AddressBookFilterParser.TryParse(element, out _, out var error), Is.False);
        Assert.That(error!.Element, Is.EqualTo(CardDavPrecondition.Namespace + precondition));
        Assert.That(error.Message, Is.Not.Empty);
    }

    [Test]
    public void The_filter_test_attribute_and_the_element_itself_are_checked()
    {
        Assert.That(AddressBookFilterParser.TryParse(XElement.Parse("<C:filter xmlns:C='urn:ietf:params:xml:ns:carddav' test='x'/>"), out _, out var error), Is.False);
        Assert.That(error!.Element.LocalName, Is.EqualTo("supported-filter"));
        Assert.That(AddressBookFilterParser.TryParse(XElement.Parse("<C:filter xmlns:C='urn:ietf:params:caldav'/>"), out _, out error), Is.False);
        Assert.That(error!.Element.LocalName, Is.EqualTo("supported-filter"));
    }

    [TestCase("straße", "STRASSE", false, Description = "no full case folding: ß stays")]
    [TestCase("ﬁle", "FILE", true, Description = "NFKD decomposes the ligature")]
    [TestCase("Ångström", "ANGSTROM", false)]
    [TestCase("Ångström", "ÅNGSTRÖM", true)]
    public void Unicode_casemap(string value, string text, bool matches)
    {
        Assert.That(new CardTextMatch(text, MatchType: CardMatchType.EqualTo).Matches(value), Is.EqualTo(matches));
    }

    [Test]
    public void A_lone_surrogate_does_not_throw()
    {
        Assert.That(new CardTextMatch("\uD800").Matches("a\uD800b"), Is.True);
    }

    private static Card Parse(string text)
    {
        Assert.That(VCardParser.TryParse(text, VCardParseOptions.Default, out var card, out var error), Is.True, error);
        return card;
    }
}
