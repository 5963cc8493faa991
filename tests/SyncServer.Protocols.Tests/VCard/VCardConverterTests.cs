using SyncServer.Protocols.VCard;
using Card = SyncServer.Protocols.VCard.VCard;

namespace SyncServer.Protocols.Tests.VCard;

/// <summary>
/// Address-data version negotiation (RFC 6352 §10.4.1): a card stored as 3.0 served as 4.0 and back, with the
/// differences of RFC 6350 Appendix A and what Apple writes in 3.0 for 4.0 features.
/// </summary>
public sealed class VCardConverterTests
{
    [TestCaseSource(typeof(VCardCorpus), nameof(VCardCorpus.All))]
    public void The_stored_version_is_served_unchanged(string text)
    {
        var card = Parse(text);
        if (card.Version is VCardVersion.V3 or VCardVersion.V4)
            Assert.That(VCardWriter.Write(VCardConverter.ToVersion(card, card.Version)), Is.EqualTo(text));
    }

    [Test]
    public void Apple_group_as_40_uses_KIND_and_MEMBER()
    {
        var card = VCardConverter.ToVersion(Parse(VCardCorpus.AppleGroup), VCardVersion.V4);
        Assert.That(VCardWriter.Write(card), Is.EqualTo(VCardCorpus.Crlf(
            "BEGIN:VCARD",
            "VERSION:4.0",
            "PRODID:-//Apple Inc.//macOS 14.4//EN",
            "N:Family",
            "FN:Family",
            "KIND:group",
            "MEMBER:urn:uuid:5AD380FD-B2DE-4261-BA99-DE1D1DB52FBE",
            "MEMBER:urn:uuid:0D2F3A34-1A2B-4C5D-8E9F-0123456789AB",
            "REV:2024-03-01T10:00:00Z",
            "UID:A7C1E2D3-0000-4000-8000-FAMILYGROUP01",
            "END:VCARD")));
        var back = VCardConverter.ToVersion(card, VCardVersion.V3);
        Assert.That(VCardWriter.Write(back), Is.EqualTo(VCardCorpus.AppleGroup), "and back to what Apple stored");
    }

    [Test]
    public void Davx5_40_as_30_pref_photo_tel_uri_and_a_birthday_without_year()
    {
        var card = VCardConverter.ToVersion(Parse(VCardCorpus.Davx5), VCardVersion.V3);
        var text = VCardWriter.Write(card);
        Assert.That(text, Is.EqualTo(VCardCorpus.Crlf(
            "BEGIN:VCARD",
            "VERSION:3.0",
            "PRODID:ez-vcard 0.11.3",
            "UID:urn:uuid:3f5e0b0e-7c1d-4d0a-9a51-2b6f1c8e9d10",
            "FN:Zoë Åström",
            "N:Åström;Zoë;;;",
            "EMAIL;TYPE=work;TYPE=pref:zoe@example.org",
            "EMAIL;TYPE=home:zoe.home@example.net",
            "TEL;TYPE=cell:+46-70-123-4567",
            "ADR;TYPE=home;LABEL=\"Storgatan 1^n111 22 Stockholm^nSverige\":;;Storgatan 1;Sto",
            " ckholm;;111 22;Sverige",
            "CATEGORIES:Friends,Work\\, old",
            "BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15",
            "X-PHONETIC-LAST-NAME:Ostrom",
            "PHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAD",
            " UlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
            "REV:20240301T100000Z",
            "END:VCARD")));
        Assert.That(card.Find("PHOTO")!.GetBinary(), Is.EqualTo(Parse(VCardCorpus.Davx5).Find("PHOTO")!.GetBinary()).Using<VCardBinary>(SameBinary));
        Assert.That(VCardValidator.Validate(card), Is.Null);

        var back = VCardConverter.ToVersion(card, VCardVersion.V4);
        Assert.That(back.Find("BDAY")!.ToString(), Is.EqualTo("BDAY:--0415"));
        Assert.That(back.Find("EMAIL")!.ToString(), Is.EqualTo("EMAIL;TYPE=work;PREF=1:zoe@example.org"));
    }

    [Test]
    public void Apple_30_as_40_pref_parameters_keep_the_other_types_and_groups()
    {
        var card = VCardConverter.ToVersion(Parse(VCardCorpus.Apple), VCardVersion.V4);
        Assert.That(card.Version, Is.EqualTo(VCardVersion.V4));
        Assert.That(card.FindAll("EMAIL").Select(p => p.ToString()), Is.EqualTo(new[]
        {
            "item1.EMAIL;type=INTERNET;PREF=1:johnny@example.com",
            "EMAIL;type=INTERNET;type=WORK:j.appleseed@work.example",
        }));
        Assert.That(card.Find("TEL")!.ToString(), Is.EqualTo("TEL;type=CELL;type=VOICE;PREF=1:+1 (408) 555-0100"));
        Assert.That(card.Find("NOTE")!.OriginalText, Is.Not.Null, "an untouched property keeps its original folding");
        Assert.That(VCardValidator.Validate(card), Is.Null);
    }

    [Test]
    public void A_big_30_photo_becomes_a_40_data_uri_and_comes_back_with_the_same_bytes()
    {
        var v4 = VCardConverter.ToVersion(Parse(VCardCorpus.BigPhoto), VCardVersion.V4);
        var photo = v4.Find("PHOTO")!;
        Assert.That(photo.Parameters, Is.Empty);
        Assert.That(photo.RawValue, Does.StartWith("data:image/jpeg;base64,/9"));
        Assert.That(photo.GetBinary()!.Data, Is.EqualTo(VCardCorpus.PhotoBytes()));

        var reparsed = Parse(VCardWriter.Write(v4));
        var v3 = VCardConverter.ToVersion(reparsed, VCardVersion.V3);
        Assert.That(v3.Find("PHOTO")!.Parameters, Is.EqualTo(new[] { new VCardParameter("ENCODING", "b"), new VCardParameter("TYPE", "JPEG") }));
        Assert.That(v3.Find("PHOTO")!.GetBinary()!.Data, Is.EqualTo(VCardCorpus.PhotoBytes()));
    }

    [TestCase(VCardVersion.V3)]
    [TestCase(VCardVersion.V4)]
    public void Outlook_21_lifted_decodes_quoted_printable_and_names_bare_types(VCardVersion target)
    {
        var card = VCardConverter.ToVersion(Parse(VCardCorpus.Outlook21), target);
        var text = VCardWriter.Write(card);
        Assert.That(text, Does.Not.Contain("QUOTED-PRINTABLE").And.Not.Contain("CHARSET"));
        Assert.That(card.Find("N")!.ToString(), Is.EqualTo("N:Müller;Jürgen"));
        Assert.That(card.Find("ADR")!.ToString(), Is.EqualTo("ADR;TYPE=WORK:;;Hauptstraße 1\\nHinterhaus;Berlin;;10115;Deutschland"));
        Assert.That(card.Find("TEL")!.ToString(), Is.EqualTo("TEL;TYPE=WORK;TYPE=VOICE:+49 30 1234567"));
        Assert.That(card.Find("EMAIL")!.ToString(), Is.EqualTo(target == VCardVersion.V3
            ? "EMAIL;TYPE=PREF;TYPE=INTERNET:juergen@example.de"
            : "EMAIL;TYPE=INTERNET;PREF=1:juergen@example.de"));
        Assert.That(card.Find("PHOTO")!.ToString(), Does.StartWith(target == VCardVersion.V3
            ? "PHOTO;TYPE=JPEG;ENCODING=b:/9j/4AAQ"
            : "PHOTO:data:image/jpeg;base64,/9j/4AAQ"));

        var reparsed = Parse(text);
        Assert.That(reparsed.Version, Is.EqualTo(target));
        Assert.That(reparsed.Find("NOTE")!.GetText(), Is.EqualTo("Erste Zeile\nZweite Zeile, mit einer langen Beschreibung, die umbrochen wird"));
        Assert.That(reparsed.Find("PHOTO")!.GetBinary()!.Data, Is.EqualTo(Parse(VCardCorpus.Outlook21).Find("PHOTO")!.GetBinary()!.Data));
    }

    [Test]
    public void A_40_card_without_N_gets_one_in_30_and_a_card_without_FN_gets_one_in_both()
    {
        var noN = Card.Create(VCardVersion.V4, VCardProperty.Text("FN", "Acme, Inc."), VCardProperty.Text("UID", "1"), VCardProperty.Text("KIND", "org"));
        var v3 = VCardConverter.ToVersion(noN, VCardVersion.V3);
        Assert.That(v3.Properties.Select(p => p.ToString()), Is.EqualTo(new[]
        {
            "VERSION:3.0", "FN:Acme\\, Inc.", "N:Acme\\, Inc.;;;;", "UID:1", "X-ADDRESSBOOKSERVER-KIND:org",
        }));
        Assert.That(VCardValidator.Validate(v3), Is.Null);

        var noFn = Card.Create(VCardVersion.V3, VCardProperty.Structured("N", [["Doe"], ["Jane"], ["Q"], ["Dr."], []]), VCardProperty.Text("UID", "2"));
        Assert.That(VCardConverter.ToVersion(noFn, VCardVersion.V4).FormattedName, Is.EqualTo("Dr. Jane Q Doe"));
        var orgOnly = Card.Create(VCardVersion.V4, VCardProperty.Structured("ORG", [["Acme"], ["Sales"]]), VCardProperty.Text("UID", "3"));
        Assert.That(VCardConverter.ToVersion(orgOnly, VCardVersion.V3).FormattedName, Is.EqualTo("Acme"));
    }

    [Test]
    public void KIND_individual_has_no_30_form()
    {
        var card = Card.Create(VCardVersion.V4, VCardProperty.Text("FN", "A"), VCardProperty.Text("KIND", "individual"));
        Assert.That(VCardConverter.ToVersion(card, VCardVersion.V3).Find("KIND"), Is.Null);
        Assert.That(VCardConverter.ToVersion(card, VCardVersion.V3).Find("X-ADDRESSBOOKSERVER-KIND"), Is.Null);
    }

    [Test]
    public void Only_30_and_40_are_targets()
    {
        Assert.That(() => VCardConverter.ToVersion(Parse(VCardCorpus.Apple), VCardVersion.V21), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    private static bool SameBinary(VCardBinary? a, VCardBinary? b) =>
        a is not null && b is not null && a.MediaType == b.MediaType && a.Data.AsSpan().SequenceEqual(b.Data);

    private static Card Parse(string text)
    {
        Assert.That(VCardParser.TryParse(text, VCardParseOptions.Default, out var card, out var error), Is.True, error);
        return card;
    }
}
