using System.Buffers;
using System.Text;

namespace SyncServer.Protocols.Imap;

/// <summary>Step 5: the attribute list of FETCH, with macros expanded (RFC 9051 §6.4.5).</summary>
internal static class ImapFetchAttributeParser
{
    // Attribute names and section specs are letters, digits and dots up to "[", "<", SP or ")".
    private static readonly SearchValues<byte> NameChars = SearchValues.Create(
        ".0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    private static readonly ImapFetchAttribute[] Fast =
        [new FetchItem(ImapFetchItem.Flags), new FetchItem(ImapFetchItem.InternalDate), new FetchItem(ImapFetchItem.Rfc822Size)];

    private static readonly ImapFetchAttribute[] All = [.. Fast, new FetchItem(ImapFetchItem.Envelope)];

    private static readonly ImapFetchAttribute[] Full = [.. All, new FetchItem(ImapFetchItem.Body)];

    public static IReadOnlyList<ImapFetchAttribute> ParseList(ref ImapSyntaxReader reader)
    {
        if (reader.TryKeyword("ALL"u8))
            return All;
        if (reader.TryKeyword("FAST"u8))
            return Fast;
        if (reader.TryKeyword("FULL"u8))
            return Full;
        if (!reader.TryConsume((byte)'('))
            return [Parse(ref reader)];
        var attributes = new List<ImapFetchAttribute> { Parse(ref reader) };
        while (reader.TrySpace())
            attributes.Add(Parse(ref reader));
        reader.Expect((byte)')');
        return attributes;
    }

    private static ImapFetchAttribute Parse(ref ImapSyntaxReader reader)
    {
        var name = Encoding.ASCII.GetString(reader.Take(NameChars, "Expected fetch attribute")).ToUpperInvariant();
        var bracket = reader.Peek() == '[';
        return name switch
        {
            "BODY" when bracket => new FetchBodySection(Section(ref reader), Peek: false, Partial(ref reader)),
            "BODY.PEEK" => new FetchBodySection(Section(ref reader), Peek: true, Partial(ref reader)),
            "BINARY" => new FetchBinary(BinarySection(ref reader), Peek: false, Partial(ref reader)),
            "BINARY.PEEK" => new FetchBinary(BinarySection(ref reader), Peek: true, Partial(ref reader)),
            "BINARY.SIZE" => new FetchBinarySize(BinarySection(ref reader)),
            _ when !bracket && Item(name) is { } item => new FetchItem(item),
            _ => throw ImapSyntaxReader.Fail($"Unknown fetch attribute {name}"),
        };
    }

    private static ImapFetchItem? Item(string name) => name switch
    {
        "ENVELOPE" => ImapFetchItem.Envelope,
        "FLAGS" => ImapFetchItem.Flags,
        "INTERNALDATE" => ImapFetchItem.InternalDate,
        "RFC822" => ImapFetchItem.Rfc822,
        "RFC822.HEADER" => ImapFetchItem.Rfc822Header,
        "RFC822.SIZE" => ImapFetchItem.Rfc822Size,
        "RFC822.TEXT" => ImapFetchItem.Rfc822Text,
        "BODY" => ImapFetchItem.Body,
        "BODYSTRUCTURE" => ImapFetchItem.BodyStructure,
        "UID" => ImapFetchItem.Uid,
        "MODSEQ" => ImapFetchItem.ModSeq,
        _ => null,
    };

    // section = "[" [section-spec] "]"; section-spec = section-msgtext / (section-part ["." section-text])
    private static ImapSection Section(ref ImapSyntaxReader reader)
    {
        reader.Expect((byte)'[');
        if (reader.TryConsume((byte)']'))
            return ImapSection.Whole;
        var spec = Encoding.ASCII.GetString(reader.Take(NameChars, "Expected section")).ToUpperInvariant().Split('.');
        var part = PartNumbers(spec.TakeWhile(IsNumber));
        var text = string.Join('.', spec.SkipWhile(IsNumber));
        var section = text switch
        {
            "" when part.Count > 0 => new ImapSection(part, null, []),
            "HEADER" => new ImapSection(part, ImapSectionText.Header, []),
            "TEXT" => new ImapSection(part, ImapSectionText.Text, []),
            "MIME" when part.Count > 0 => new ImapSection(part, ImapSectionText.Mime, []),
            "HEADER.FIELDS" => new ImapSection(part, ImapSectionText.HeaderFields, HeaderList(ref reader)),
            "HEADER.FIELDS.NOT" => new ImapSection(part, ImapSectionText.HeaderFieldsNot, HeaderList(ref reader)),
            _ => throw ImapSyntaxReader.Fail("Invalid section"),
        };
        reader.Expect((byte)']');
        return section;
    }

    private static List<string> HeaderList(ref ImapSyntaxReader reader)
    {
        reader.Space();
        return reader.AStringList(allowSingle: false);
    }

    // section-binary = "[" [section-part] "]"
    private static List<uint> BinarySection(ref ImapSyntaxReader reader)
    {
        reader.Expect((byte)'[');
        if (reader.TryConsume((byte)']'))
            return [];
        var spec = Encoding.ASCII.GetString(reader.Take(NameChars, "Expected section part")).Split('.');
        if (!spec.All(IsNumber))
            throw ImapSyntaxReader.Fail("BINARY takes only a part number");
        reader.Expect((byte)']');
        return PartNumbers(spec);
    }

    private static bool IsNumber(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);

    private static List<uint> PartNumbers(IEnumerable<string> numbers) =>
        [.. numbers.Select(n => uint.TryParse(n, out var v) && v > 0 ? v : throw ImapSyntaxReader.Fail("Invalid part number"))];

    private static ImapPartial? Partial(ref ImapSyntaxReader reader)
    {
        if (!reader.TryConsume((byte)'<'))
            return null;
        var offset = reader.Number64();
        reader.Expect((byte)'.');
        var length = reader.Number64();
        reader.Expect((byte)'>');
        return length > 0 ? new ImapPartial(offset, length) : throw ImapSyntaxReader.Fail("Partial length must be non-zero");
    }
}
