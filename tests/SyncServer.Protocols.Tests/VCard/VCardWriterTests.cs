using System.Text;
using SyncServer.Protocols.VCard;
using Card = SyncServer.Protocols.VCard.VCard;

namespace SyncServer.Protocols.Tests.VCard;

/// <summary>Lines the writer formats itself: folding (RFC 6350 §3.2), value escaping (§3.4), parameter quoting and RFC 6868.</summary>
public sealed class VCardWriterTests
{
    [Test]
    public void Long_lines_fold_at_75_octets_and_never_inside_a_utf8_sequence()
    {
        var note = string.Concat(Enumerable.Repeat("Zoë 山田 🎉 ", 40));
        var card = Card.Create(VCardVersion.V4, VCardProperty.Text("NOTE", note));
        var text = VCardWriter.Write(card);
        var bytes = Encoding.UTF8.GetBytes(text);
        var lines = Split(bytes);
        Assert.That(lines, Has.Count.GreaterThan(10));
        Assert.That(lines.Max(l => l.Length), Is.LessThanOrEqualTo(VCardWriter.FoldAt));
        Assert.That(lines.Skip(3).SkipLast(2), Has.All.Matches<byte[]>(l => l.Length >= VCardWriter.FoldAt - 3), "lines are filled");
        Assert.That(lines.Where(l => l.Length > 0), Has.All.Matches<byte[]>(l => System.Text.Unicode.Utf8.IsValid(l)), "each physical line is whole UTF-8");
        Assert.That(VCardParser.TryParse(text, VCardParseOptions.Default, out var back, out var error), Is.True, error);
        Assert.That(back.Find("NOTE")!.GetText(), Is.EqualTo(note));
    }

    [Test]
    public void A_line_of_exactly_75_octets_is_not_folded_and_76_is()
    {
        var exact = "NOTE:" + new string('a', 70);
        Assert.That(Write(VCardProperty.Text("NOTE", new string('a', 70))), Is.EqualTo(exact + "\r\n"));
        Assert.That(Write(VCardProperty.Text("NOTE", new string('a', 71))), Is.EqualTo(exact + "\r\n a\r\n"));
    }

    [Test]
    public void Text_values_are_escaped_and_structured_values_joined()
    {
        Assert.That(Write(VCardProperty.Text("NOTE", "a\\b,c;d\r\ne\nf")), Is.EqualTo("NOTE:a\\\\b\\,c\\;d\\ne\\nf\r\n"));
        Assert.That(Write(VCardProperty.Structured("ADR", [[], [], ["1 Main St", "Apt 2"], ["Town; East"], [], ["12345"], ["US"]])),
            Is.EqualTo("ADR:;;1 Main St,Apt 2;Town\\; East;;12345;US\r\n"));
    }

    [Test]
    public void Parameter_values_are_quoted_when_needed_and_rfc6868_escaped()
    {
        var property = new VCardProperty("item1", "ADR",
            [new VCardParameter("TYPE", ["home", "pref"]), new VCardParameter("LABEL", "St\nTown, \"The\" ^Pl")], ";;St;Town;;;");
        Assert.That(Write(property), Is.EqualTo(
            "item1.ADR;TYPE=home,pref;LABEL=\"St^nTown, ^'The^' ^^Pl\":;;St;Town;;;\r\n"));
        var card = Parse(VCardCorpus.Crlf("BEGIN:VCARD", VCardWriter.FormatLine(property), "END:VCARD"));
        Assert.That(card.Find("ADR")!.Parameters, Is.EqualTo(property.Parameters));
    }

    [Test]
    public void A_changed_property_of_a_parsed_card_loses_its_original_text()
    {
        var email = Parse(VCardCorpus.Apple).Find("EMAIL")!;
        Assert.That(email.OriginalText, Is.EqualTo("item1.EMAIL;type=INTERNET;type=pref:johnny@example.com\r\n"));
        Assert.That(email.WithRawValue("new@example.com").OriginalText, Is.Null);
        Assert.That(VCardWriter.FormatLine(email.WithRawValue("new@example.com")),
            Is.EqualTo("item1.EMAIL;type=INTERNET;type=pref:new@example.com"));
    }

    private static string Write(VCardProperty property)
    {
        var builder = new StringBuilder();
        VCardWriter.AppendFolded(builder, VCardWriter.FormatLine(property));
        return builder.ToString();
    }

    private static List<byte[]> Split(byte[] bytes)
    {
        var lines = new List<byte[]>();
        var start = 0;
        for (var i = 0; i + 1 < bytes.Length; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n')
            {
                lines.Add(bytes[start..i]);
                start = i + 2;
            }
        }
        return lines;
    }

    private static Card Parse(string text)
    {
        Assert.That(VCardParser.TryParse(text, VCardParseOptions.Default, out var card, out var error), Is.True, error);
        return card;
    }
}
