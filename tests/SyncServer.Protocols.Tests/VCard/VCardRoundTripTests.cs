using SyncServer.Protocols.VCard;
using Card = SyncServer.Protocols.VCard.VCard;

namespace SyncServer.Protocols.Tests.VCard;

/// <summary>
/// What a client stored comes back byte for byte (RFC 6352 §6.3.2.3 lets a server change a card, but clients
/// compare ETags and bytes): parse → write is the identity for every corpus card, and changing one property
/// leaves every other line exactly as the client folded it.
/// </summary>
public sealed class VCardRoundTripTests
{
    [TestCaseSource(typeof(VCardCorpus), nameof(VCardCorpus.All))]
    public void Parse_then_write_gives_the_same_text(string text)
    {
        Assert.That(VCardParser.TryParse(text, VCardParseOptions.Default, out var card, out var error), Is.True, error);
        Assert.That(VCardWriter.Write(card), Is.EqualTo(text));
    }

    [TestCaseSource(typeof(VCardCorpus), nameof(VCardCorpus.All))]
    public void Parse_utf8_bytes_then_write_gives_the_same_bytes(string text)
    {
        var bytes = VCardCorpus.Utf8(text);
        Assert.That(VCardParser.TryParse(bytes, VCardParseOptions.Default, out var card, out var error), Is.True, error);
        Assert.That(VCardCorpus.Utf8(VCardWriter.Write(card)), Is.EqualTo(bytes));
    }

    [Test]
    public void Changing_one_property_rewrites_only_its_line()
    {
        var card = Parse(VCardCorpus.Apple);
        var changed = card.Set(VCardProperty.Text("FN", "Johnny Appleseed, Jr."));
        var expected = VCardCorpus.Apple.Replace("FN:Mr. Johnny Appleseed\r\n", "FN:Johnny Appleseed\\, Jr.\r\n", StringComparison.Ordinal);
        Assert.That(VCardWriter.Write(changed), Is.EqualTo(expected));
    }

    [Test]
    public void A_new_property_is_appended_before_END_and_the_rest_is_untouched()
    {
        var card = Parse(VCardCorpus.BareLineFeeds);
        var changed = card.WithProperties([.. card.Properties, VCardProperty.Text("TITLE", "Engineer")]);
        Assert.That(VCardWriter.Write(changed), Is.EqualTo(VCardCorpus.BareLineFeeds.Replace("END:VCARD", "TITLE:Engineer\r\nEND:VCARD", StringComparison.Ordinal)));
    }

    [Test]
    public void Removing_a_property_removes_its_folded_lines_and_nothing_else()
    {
        var card = Parse(VCardCorpus.Apple).RemoveAll("NOTE");
        var expected = VCardCorpus.Apple.Replace(
            "NOTE:Line one\\nLine two\\, with a comma\\; and a semicolon. This note is long e\r\n nough to be folded by the client at seventy-five octets.\r\n",
            "", StringComparison.Ordinal);
        Assert.That(VCardWriter.Write(card), Is.EqualTo(expected));
    }

    [Test]
    public void Leading_blank_lines_a_byte_order_mark_and_trailing_blank_lines_are_kept()
    {
        var text = "\uFEFF\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\r\n\r\nUID:1\r\nEND:VCARD\r\n\r\n";
        Assert.That(VCardWriter.Write(Parse(text)), Is.EqualTo(text));
    }

    [Test]
    public void A_card_made_in_code_is_written_with_CRLF()
    {
        var card = Card.Create(VCardVersion.V4,
            VCardProperty.Text("FN", "Ada Lovelace"),
            VCardProperty.Structured("N", [["Lovelace"], ["Ada"], [], [], []]),
            VCardProperty.Text("UID", "ada-1"));
        Assert.That(VCardWriter.Write(card), Is.EqualTo(VCardCorpus.Crlf(
            "BEGIN:VCARD", "VERSION:4.0", "FN:Ada Lovelace", "N:Lovelace;Ada;;;", "UID:ada-1", "END:VCARD")));
    }

    private static Card Parse(string text)
    {
        Assert.That(VCardParser.TryParse(text, VCardParseOptions.Default, out var card, out var error), Is.True, error);
        return card;
    }
}
