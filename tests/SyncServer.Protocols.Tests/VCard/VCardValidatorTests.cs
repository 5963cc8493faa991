using SyncServer.Protocols.VCard;

namespace SyncServer.Protocols.Tests.VCard;

/// <summary>The checks behind CardDAV's valid-address-data and supported-address-data (RFC 6352 §6.3.2.1), and the indexed fields.</summary>
public sealed class VCardValidatorTests
{
    [TestCase("VERSION:3.0|N:Doe;J;;;|FN:J Doe|UID:1", null)]
    [TestCase("VERSION:4.0|FN:J Doe|UID:1", null)]
    [TestCase("FN:J Doe|UID:1", VCardProblemKind.BadVersion)]
    [TestCase("VERSION:4.0|VERSION:4.0|FN:J Doe|UID:1", VCardProblemKind.BadVersion)]
    [TestCase("VERSION:2.1|N:Doe;J|FN:J Doe|UID:1", VCardProblemKind.UnsupportedVersion)]
    [TestCase("VERSION:5.0|FN:J Doe|UID:1", VCardProblemKind.UnsupportedVersion)]
    [TestCase("VERSION:4.0|N:Doe;J;;;|UID:1", VCardProblemKind.MissingFormattedName)]
    [TestCase("VERSION:3.0|FN:J Doe|UID:1", VCardProblemKind.MissingName)]
    [TestCase("VERSION:4.0|FN:J Doe", VCardProblemKind.BadUid)]
    [TestCase("VERSION:4.0|FN:J Doe|UID:", VCardProblemKind.BadUid)]
    [TestCase("VERSION:4.0|FN:J Doe|UID:1|UID:2", VCardProblemKind.BadUid)]
    public void Validate(string lines, VCardProblemKind? expected)
    {
        var text = VCardCorpus.Crlf(["BEGIN:VCARD", .. lines.Split('|'), "END:VCARD"]);
        Assert.That(VCardParser.TryParse(text, VCardParseOptions.Default, out var card, out var error), Is.True, error);
        var problem = VCardValidator.Validate(card);
        Assert.That(problem?.Kind, Is.EqualTo(expected));
        if (problem is not null)
            Assert.That(problem.Message, Is.Not.Empty);
    }

    [Test]
    public void The_stored_corpus_cards_are_valid()
    {
        foreach (var text in new[] { VCardCorpus.Apple, VCardCorpus.AppleGroup, VCardCorpus.Davx5, VCardCorpus.BigPhoto, VCardCorpus.AwkwardFolds, VCardCorpus.BareLineFeeds })
        {
            Assert.That(VCardParser.TryParse(text, VCardParseOptions.Default, out var card, out _), Is.True);
            Assert.That(VCardValidator.Validate(card), Is.Null, text[..60]);
        }
    }

    [Test]
    public void Contact_fields_uid_fn_and_emails_preferred_first_without_mailto_or_duplicates()
    {
        var text = VCardCorpus.Crlf(
            "BEGIN:VCARD", "VERSION:4.0", "UID: urn:uuid:42 ", "FN:Jo\\, Doe",
            "EMAIL:second@example.com", "EMAIL;PREF=1:mailto:first@example.com", "EMAIL;TYPE=work:SECOND@example.com", "EMAIL:", "END:VCARD");
        Assert.That(VCardParser.TryParse(text, VCardParseOptions.Default, out var card, out var error), Is.True, error);
        Assert.That(VCardContactFields.Extract(card), Is.EqualTo(new VCardContactFields("urn:uuid:42", "Jo, Doe", ["first@example.com", "second@example.com"]))
            .Using<VCardContactFields>((a, b) => a.Uid == b.Uid && a.FormattedName == b.FormattedName && a.Emails.SequenceEqual(b.Emails)));
    }

    [Test]
    public void Contact_fields_of_a_card_without_them_are_null_and_empty()
    {
        Assert.That(VCardParser.TryParse("BEGIN:VCARD\r\nVERSION:4.0\r\nEND:VCARD\r\n", VCardParseOptions.Default, out var card, out _), Is.True);
        var fields = VCardContactFields.Extract(card);
        Assert.That((fields.Uid, fields.FormattedName, fields.Emails), Is.EqualTo(((string?)null, (string?)null, Array.Empty<string>())));
    }
}
