using System.Text;
using SyncServer.Protocols.VCard;
using Card = SyncServer.Protocols.VCard.VCard;

namespace SyncServer.Protocols.Tests.VCard;

/// <summary>What the parser reads out of real-world cards (RFC 6350 §3, RFC 2426 §4, vCard 2.1), and how it refuses bad ones.</summary>
public sealed class VCardParserTests
{
    [Test]
    public void Apple_groups_labels_types_and_escapes()
    {
        var card = Parse(VCardCorpus.Apple);
        Assert.That(card.Version, Is.EqualTo(VCardVersion.V3));
        Assert.That(card.Uid, Is.EqualTo("5AD380FD-B2DE-4261-BA99-DE1D1DB52FBE"));
        Assert.That(card.FormattedName, Is.EqualTo("Mr. Johnny Appleseed"));
        Assert.That(card.Emails, Is.EqualTo(new[] { "johnny@example.com", "j.appleseed@work.example" }));

        var email = card.Find("EMAIL")!;
        Assert.That((email.Group, email.Name, email.Types, email.Preference), Is.EqualTo(("item1", "EMAIL", new[] { "internet", "pref" }, (int?)1)));
        var label = card.Properties.Single(p => p.Group == "item1" && p.Is("X-ABLabel"));
        Assert.That(label.GetText(), Is.EqualTo("_$!<Other>!$_"));

        Assert.That(card.Find("N")!.GetComponents(), Is.EqualTo(new[] { new[] { "Appleseed" }, ["Johnny"], [""], ["Mr."], [""] }));
        Assert.That(card.Find("ADR")!.GetComponent(6), Is.EqualTo("United States"), "unfolded across the fold");
        Assert.That(card.Find("NOTE")!.GetText(), Is.EqualTo(
            "Line one\nLine two, with a comma; and a semicolon. This note is long enough to be folded by the client at seventy-five octets."));
        Assert.That(card.Properties.Select(p => p.Name), Is.EqualTo(new[]
        {
            "VERSION", "PRODID", "N", "FN", "ORG", "EMAIL", "X-ABLabel", "EMAIL", "TEL", "ADR", "X-ABADR", "URL", "X-ABLabel",
            "NOTE", "X-ABUID", "UID", "REV",
        }), "every property, unknown and X- ones included, in order");
    }

    [Test]
    public void Davx5_pref_rfc6868_parameters_lists_and_a_data_uri_photo()
    {
        var card = Parse(VCardCorpus.Davx5);
        Assert.That(card.Version, Is.EqualTo(VCardVersion.V4));
        Assert.That(card.FormattedName, Is.EqualTo("Zoë Åström"));
        Assert.That(card.Emails, Is.EqualTo(new[] { "zoe@example.org", "zoe.home@example.net" }));
        var adr = card.Find("ADR")!;
        Assert.That(adr.GetParameter("LABEL"), Is.EqualTo("Storgatan 1\n111 22 Stockholm\nSverige"));
        Assert.That(adr.GetComponent(3), Is.EqualTo("Stockholm"));
        Assert.That(card.Find("CATEGORIES")!.GetComponents(), Is.EqualTo(new[] { new[] { "Friends", "Work, old" } }));
        var photo = card.Find("PHOTO")!.GetBinary();
        Assert.That(photo!.MediaType, Is.EqualTo("image/png"));
        Assert.That(photo.Data[..4], Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }));
        Assert.That(card.Find("TEL")!.GetBinary(), Is.Null, "a tel: URI is not binary");
    }

    [Test]
    public void Outlook_21_bare_types_quoted_printable_charsets_and_soft_breaks()
    {
        var card = Parse(VCardCorpus.Outlook21);
        Assert.That(card.Version, Is.EqualTo(VCardVersion.V21));
        Assert.That(card.Find("N")!.GetComponents(), Is.EqualTo(new[] { new[] { "Müller" }, ["Jürgen"] }), "ISO-8859-1 bytes");
        Assert.That(card.FormattedName, Is.EqualTo("Jürgen Müller"), "UTF-8 bytes");
        var tel = card.Find("TEL")!;
        Assert.That(tel.Types, Is.EqualTo(new[] { "work", "voice" }));
        Assert.That(tel.Parameters, Is.EqualTo(new[] { new VCardParameter("TYPE", "WORK"), new VCardParameter("TYPE", "VOICE") }));
        Assert.That(card.Find("EMAIL")!.Preference, Is.EqualTo(1));
        var adr = card.Find("ADR")!;
        Assert.That(adr.GetComponent(2), Is.EqualTo("Hauptstraße 1\r\nHinterhaus"));
        Assert.That(adr.GetComponent(3), Is.EqualTo("Berlin"), "joined across the soft line break");
        Assert.That(card.Find("NOTE")!.GetText(), Is.EqualTo("Erste Zeile\r\nZweite Zeile, mit einer langen Beschreibung, die umbrochen wird"));
        var photo = card.Find("PHOTO")!.GetBinary();
        Assert.That(photo!.MediaType, Is.EqualTo("image/jpeg"));
        Assert.That(photo.Data[..2], Is.EqualTo(new byte[] { 0xFF, 0xD8 }));
        Assert.That(card.Find("REV")!.RawValue, Is.EqualTo("20240301T100000Z"), "the blank line after the base64 ends it");
    }

    [Test]
    public void A_big_base64_photo_decodes_to_its_bytes()
    {
        var card = Parse(VCardCorpus.BigPhoto);
        var photo = card.Find("PHOTO")!.GetBinary();
        Assert.That(photo!.MediaType, Is.EqualTo("image/jpeg"));
        Assert.That(photo.Data, Is.EqualTo(VCardCorpus.PhotoBytes()));
        Assert.That(card.Emails, Is.EqualTo(new[] { "pat@example.com" }));
    }

    [Test]
    public void Folds_inside_names_parameters_escapes_and_after_multi_octet_characters()
    {
        var card = Parse(VCardCorpus.AwkwardFolds);
        Assert.That(card.Find("N")!.GetComponent(1), Is.EqualTo("Ελένη"));
        var email = card.Find("EMAIL")!;
        Assert.That((email.GetText(), email.Types), Is.EqualTo(("eleni@example.gr", new[] { "work" })));
        Assert.That(card.Find("NOTE")!.GetText(), Is.EqualTo("東京都千代田区千代田1-1 の住所です。改行\nと絵文字🎉を含む長いメモ。"));
        var custom = card.Find("X-CUSTOM")!;
        Assert.That((custom.GetParameter("X-PARAM"), custom.GetText()), Is.EqualTo(("a,b;c:d", "value with ; and , escaped")));
    }

    [Test]
    public void A_fold_that_splits_a_utf8_sequence_is_joined_back()
    {
        // RFC 6350 §3.2: "implementations SHOULD unfold lines in such a way as to properly restore the original sequence".
        var bytes = Encoding.UTF8.GetBytes("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Zo\u00EB\r\nUID:1\r\nEND:VCARD\r\n").ToList();
        var e = bytes.IndexOf(0xC3);
        bytes.InsertRange(e + 1, "\r\n "u8.ToArray());
        Assert.That(VCardParser.TryParse(bytes.ToArray(), VCardParseOptions.Default, out var card, out var error), Is.True, error);
        Assert.That(card.FormattedName, Is.EqualTo("Zoë"));
    }

    [Test]
    public void Lower_case_begin_end_and_blanks_around_the_name_are_tolerated()
    {
        var card = Parse("begin:vcard\r\nversion:3.0\r\nfn :Jo\r\nn:;Jo;;;\r\nuid:x\r\nend:vcard");
        Assert.That((card.Version, card.FormattedName, card.Uid), Is.EqualTo((VCardVersion.V3, "Jo", "x")));
    }

    [TestCase("", "empty vCard")]
    [TestCase("   \r\n\r\n", "empty vCard")]
    [TestCase("garbage\r\n", "line 1: a vCard starts with BEGIN:VCARD")]
    [TestCase("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "line 1: a vCard starts with BEGIN:VCARD")]
    [TestCase("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\n", "missing END:VCARD")]
    [TestCase("BEGIN:VCARD\r\nVERSION:3.0\r\nFN A\r\nEND:VCARD\r\n", "line 3: 'FN' has no ':' before its value")]
    [TestCase("BEGIN:VCARD\r\n:no name\r\nEND:VCARD\r\n", "line 2: a content line starts with a property name")]
    [TestCase("BEGIN:VCARD\r\nitem1.:x\r\nEND:VCARD\r\n", "line 2: a content line starts with a property name")]
    [TestCase("BEGIN:VCARD\r\nTEL;TYPE=\"home:x\r\nEND:VCARD\r\n", "line 2: unterminated quoted parameter value")]
    [TestCase("BEGIN:VCARD\r\nTEL;=home:x\r\nEND:VCARD\r\n", "line 2: bad parameter")]
    [TestCase("BEGIN:VCARD\r\nTEL;TYPE=ho\"me:x\r\nEND:VCARD\r\n", "line 2: a quote inside a parameter value")]
    [TestCase("BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:B\r\nEND:VCARD\r\n", "line 4: text after END:VCARD (one vCard per resource)")]
    [TestCase("BEGIN:VCARD\r\nAGENT:\r\nBEGIN:VCARD\r\nEND:VCARD\r\nEND:VCARD\r\n", "line 3: BEGIN:VCARD inside a vCard")]
    [TestCase("BEGIN:VCARD\r\nFN:A\0B\r\nEND:VCARD\r\n", "vCard contains a NUL character at offset 17")]
    public void Malformed_input_is_a_clear_error(string text, string expected)
    {
        Assert.That(VCardParser.TryParse(text, VCardParseOptions.Default, out _, out var error), Is.False);
        Assert.That(error, Is.EqualTo(expected));
    }

    [Test]
    public void Bytes_that_are_not_utf8_are_an_error()
    {
        var bytes = "BEGIN:VCARD\r\nFN:M\xFCller\r\nEND:VCARD\r\n"u8.ToArray();
        bytes[17] = 0xFC;
        Assert.That(VCardParser.TryParse(bytes, VCardParseOptions.Default, out _, out var error), Is.False);
        Assert.That(error, Is.EqualTo("vCard is not valid UTF-8"));
    }

    [Test]
    public void Limits_on_size_properties_and_line_length()
    {
        var text = VCardCorpus.BigPhoto;
        Assert.That(VCardParser.TryParse(text, new VCardParseOptions { MaxSize = 1000 }, out _, out var error), Is.False);
        Assert.That(error, Is.EqualTo("vCard is larger than 1000 characters"));
        Assert.That(VCardParser.TryParse(VCardCorpus.Utf8(text), new VCardParseOptions { MaxSize = 1000 }, out _, out error), Is.False);
        Assert.That(error, Is.EqualTo("vCard is larger than 1000 octets"));
        Assert.That(VCardParser.TryParse(text, new VCardParseOptions { MaxLineLength = 10_000 }, out _, out error), Is.False);
        Assert.That(error, Does.Match(@"^line \d+: content line longer than 10000 characters$"));
        Assert.That(VCardParser.TryParse(VCardCorpus.Apple, new VCardParseOptions { MaxProperties = 5 }, out _, out error), Is.False);
        Assert.That(error, Is.EqualTo("vCard has more than 5 properties"));
    }

    [Test]
    public void A_huge_single_line_is_refused_without_reading_it_all_into_one_property()
    {
        var text = "BEGIN:VCARD\r\nNOTE:" + new string('x', 200_000) + "\r\nEND:VCARD\r\n";
        Assert.That(VCardParser.TryParse(text, new VCardParseOptions { MaxLineLength = 65_536 }, out _, out var error), Is.False);
        Assert.That(error, Is.EqualTo("line 2: content line longer than 65536 characters"));
    }

    [Test]
    public void Random_bytes_never_throw()
    {
        var random = new Random(6350);
        var alphabet = "BEGIN:VCARD\r\nEND;=,\"^\\: \t.QUOTED-PRINTABLE=\r\n\0é🎉"u8.ToArray();
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 200)];
            if (i % 2 == 0)
                random.NextBytes(bytes);
            else
                for (var j = 0; j < bytes.Length; j++)
                    bytes[j] = alphabet[random.Next(alphabet.Length)];
            var prefix = i % 3 == 0 ? "BEGIN:VCARD\r\n"u8.ToArray() : [];
            ParseEverything([.. prefix, .. bytes]);
        }
    }

    [TestCaseSource(typeof(VCardCorpus), nameof(VCardCorpus.All))]
    public void Mutated_corpus_cards_never_throw(string text)
    {
        var random = new Random(2426);
        var original = VCardCorpus.Utf8(text);
        for (var i = 0; i < 500; i++)
        {
            var bytes = (byte[])original.Clone();
            for (var flips = random.Next(1, 6); flips > 0; flips--)
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            ParseEverything(bytes[..random.Next(bytes.Length + 1)]);
        }
    }

    /// <summary>Parses and, when that works, uses every accessor, writes and converts: none may throw.</summary>
    private static void ParseEverything(byte[] bytes)
    {
        if (!VCardParser.TryParse(bytes, VCardParseOptions.Default, out var card, out var error))
        {
            Assert.That(error, Is.Not.Empty);
            return;
        }
        foreach (var property in card.Properties)
        {
            _ = (property.GetText(), property.GetComponents(), property.GetBinary(), property.Types, property.Preference);
        }
        _ = (card.Uid, card.FormattedName, card.Emails, VCardContactFields.Extract(card), VCardValidator.Validate(card));
        _ = VCardWriter.Write(card);
        _ = VCardWriter.Write(VCardConverter.ToVersion(card, VCardVersion.V3));
        _ = VCardWriter.Write(VCardConverter.ToVersion(card, VCardVersion.V4));
    }

    private static Card Parse(string text)
    {
        Assert.That(VCardParser.TryParse(text, VCardParseOptions.Default, out var card, out var error), Is.True, error);
        return card;
    }
}
