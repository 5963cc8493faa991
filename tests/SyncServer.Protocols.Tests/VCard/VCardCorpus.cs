using System.Text;

namespace SyncServer.Protocols.Tests.VCard;

/// <summary>
/// Cards shaped like the ones real clients store: what Apple Contacts, DAVx5 (ez-vcard), Google, Outlook and old
/// phones write, with their groups, labels, folding and encodings. Each is exact text, line breaks included.
/// </summary>
internal static class VCardCorpus
{
    /// <summary>Apple Contacts (macOS/iOS) 3.0: item groups with X-ABLabel, lower-case type params, folded at 75.</summary>
    public static readonly string Apple = Crlf(
        "BEGIN:VCARD",
        "VERSION:3.0",
        "PRODID:-//Apple Inc.//macOS 14.4//EN",
        "N:Appleseed;Johnny;;Mr.;",
        "FN:Mr. Johnny Appleseed",
        "ORG:Apple Inc.;Engineering",
        "item1.EMAIL;type=INTERNET;type=pref:johnny@example.com",
        "item1.X-ABLabel:_$!<Other>!$_",
        "EMAIL;type=INTERNET;type=WORK:j.appleseed@work.example",
        "TEL;type=CELL;type=VOICE;type=pref:+1 (408) 555-0100",
        "item2.ADR;type=HOME;type=pref:;;1 Infinite Loop;Cupertino;CA;95014;United St",
        " ates",
        "item2.X-ABADR:us",
        "item3.URL;type=pref:http://www.example.com/~johnny",
        "item3.X-ABLabel:_$!<HomePage>!$_",
        "NOTE:Line one\\nLine two\\, with a comma\\; and a semicolon. This note is long e",
        " nough to be folded by the client at seventy-five octets.",
        "X-ABUID:5AD380FD-B2DE-4261-BA99-DE1D1DB52FBE:ABPerson",
        "UID:5AD380FD-B2DE-4261-BA99-DE1D1DB52FBE",
        "REV:2024-03-01T10:00:00Z",
        "END:VCARD");

    /// <summary>Apple's contact group, a 3.0 card with X-ADDRESSBOOKSERVER-KIND and -MEMBER.</summary>
    public static readonly string AppleGroup = Crlf(
        "BEGIN:VCARD",
        "VERSION:3.0",
        "PRODID:-//Apple Inc.//macOS 14.4//EN",
        "N:Family",
        "FN:Family",
        "X-ADDRESSBOOKSERVER-KIND:group",
        "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:5AD380FD-B2DE-4261-BA99-DE1D1DB52FBE",
        "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:0D2F3A34-1A2B-4C5D-8E9F-0123456789AB",
        "REV:2024-03-01T10:00:00Z",
        "UID:A7C1E2D3-0000-4000-8000-FAMILYGROUP01",
        "END:VCARD");

    /// <summary>DAVx5 (ez-vcard) / Google 4.0: PREF, RFC 6868 in a quoted LABEL, non-ASCII names, a data: URI photo.</summary>
    public static readonly string Davx5 = Crlf(
        "BEGIN:VCARD",
        "VERSION:4.0",
        "PRODID:ez-vcard 0.11.3",
        "UID:urn:uuid:3f5e0b0e-7c1d-4d0a-9a51-2b6f1c8e9d10",
        "FN:Zoë Åström",
        "N:Åström;Zoë;;;",
        "EMAIL;TYPE=work;PREF=1:zoe@example.org",
        "EMAIL;TYPE=home:zoe.home@example.net",
        "TEL;TYPE=cell;VALUE=uri:tel:+46-70-123-4567",
        "ADR;TYPE=home;LABEL=\"Storgatan 1^n111 22 Stockholm^nSverige\":;;Storgatan 1;Sto",
        " ckholm;;111 22;Sverige",
        "CATEGORIES:Friends,Work\\, old",
        "BDAY:--0415",
        "X-PHONETIC-LAST-NAME:Ostrom",
        "PHOTO:data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUl",
        " EQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
        "REV:20240301T100000Z",
        "END:VCARD");

    /// <summary>
    /// Outlook / an old phone, 2.1: bare types, CHARSET, quoted-printable with soft line breaks, a QP value whose
    /// decoded text is in ISO-8859-1.
    /// </summary>
    public static readonly string Outlook21 = Crlf(
        "BEGIN:VCARD",
        "VERSION:2.1",
        "N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller;J=FCrgen",
        "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller",
        "ORG:Beispiel GmbH;Vertrieb",
        "TEL;WORK;VOICE:+49 30 1234567",
        "TEL;CELL:+49 170 1234567",
        "ADR;WORK;ENCODING=QUOTED-PRINTABLE:;;Hauptstra=C3=9Fe 1=0D=0AHinterhaus;Berl=",
        "in;;10115;Deutschland",
        "EMAIL;PREF;INTERNET:juergen@example.de",
        "NOTE;ENCODING=QUOTED-PRINTABLE:Erste Zeile=0D=0AZweite Zeile, mit einer langen Beschreibung, die umbro=",
        "chen wird",
        "X-MS-OL-DEFAULT-POSTAL-ADDRESS:2",
        "PHOTO;TYPE=JPEG;ENCODING=BASE64:",
        "    /9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////",
        "    //////////////////////////////////////////////8=",
        "",
        "REV:20240301T100000Z",
        "END:VCARD");

    /// <summary>A 3.0 card with a 30 KB base64 PHOTO folded at 75 (the photos phones send are large).</summary>
    public static readonly string BigPhoto = Crlf(
        [
            "BEGIN:VCARD",
            "VERSION:3.0",
            "N:Photographer;Pat;;;",
            "FN:Pat Photographer",
            "UID:big-photo-1",
            .. Fold("PHOTO;ENCODING=b;TYPE=JPEG:" + Convert.ToBase64String(PhotoBytes())),
            "EMAIL;TYPE=INTERNET:pat@example.com",
            "END:VCARD",
        ]);

    /// <summary>
    /// Folding in awkward places that RFC 6350 §3.2 allows: right after multi-octet characters, inside a name, a
    /// parameter and an escape, by tab; a CJK and emoji note; and no final line break.
    /// </summary>
    public static readonly string AwkwardFolds =
        "BEGIN:VCARD\r\n" +
        "VERSION:4.0\r\n" +
        "UID:awkward-1\r\n" +
        "FN:Ελένη Παπαδοπούλου 山田太郎 🎉🎉\r\n" +
        "N:Παπαδοπούλου;Ελ\r\n ένη;;;\r\n" +
        "EM\r\n AIL;TY\r\n\tPE=work:eleni@example.gr\r\n" +
        "NOTE:東京都千代田区千代田1-1 の住所です。改行\\\r\n nと絵文字🎉を含む長いメモ。\r\n" +
        "X-CUSTOM;X-PARAM=\"a,b;c:d\":value with \\; and \\, escaped\r\n" +
        "END:VCARD";

    /// <summary>A card written with bare LF line breaks (scripts, some exports).</summary>
    public static readonly string BareLineFeeds =
        "BEGIN:VCARD\nVERSION:3.0\nN:Doe;Jane;;;\nFN:Jane Doe\nEMAIL:jane@example.com\nNOTE:folded\n  with LF\nUID:lf-1\nEND:VCARD\n";

    /// <summary>Every corpus card by name.</summary>
    public static IEnumerable<TestCaseData> All()
    {
        yield return new TestCaseData(Apple).SetArgDisplayNames("Apple");
        yield return new TestCaseData(AppleGroup).SetArgDisplayNames("AppleGroup");
        yield return new TestCaseData(Davx5).SetArgDisplayNames("Davx5");
        yield return new TestCaseData(Outlook21).SetArgDisplayNames("Outlook21");
        yield return new TestCaseData(BigPhoto).SetArgDisplayNames("BigPhoto");
        yield return new TestCaseData(AwkwardFolds).SetArgDisplayNames("AwkwardFolds");
        yield return new TestCaseData(BareLineFeeds).SetArgDisplayNames("BareLineFeeds");
    }

    /// <summary>Deterministic photo bytes (a JPEG header, then noise).</summary>
    public static byte[] PhotoBytes()
    {
        var bytes = new byte[30_000];
        new Random(6350).NextBytes(bytes);
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        return bytes;
    }

    /// <summary>Lines joined with CRLF, the last one ended too.</summary>
    public static string Crlf(params string[] lines) => string.Concat(lines.Select(l => l + "\r\n"));

    /// <summary>An ASCII line folded the way Apple does: 75 characters, then 74 after the leading space.</summary>
    private static IEnumerable<string> Fold(string line)
    {
        yield return line[..75];
        for (var i = 75; i < line.Length; i += 74)
            yield return " " + line[i..Math.Min(line.Length, i + 74)];
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
