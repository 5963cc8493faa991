using System.Text.RegularExpressions;

namespace SyncServer.Protocols.VCard;

/// <summary>
/// Converts a card between vCard 3.0 (RFC 2426) and 4.0 (RFC 6350) for CardDAV address-data negotiation
/// (RFC 6352 §10.4.1), and lifts 2.1 cards to either. Properties needing no change keep their original text.
/// What changes (RFC 6350 Appendix A): <c>TYPE=pref</c> ↔ <c>PREF=1</c>; inline base64 (<c>ENCODING=b;TYPE=JPEG</c>)
/// ↔ <c>data:</c> URI; Apple's <c>X-ADDRESSBOOKSERVER-KIND/-MEMBER</c> ↔ <c>KIND/MEMBER</c>; a 4.0
/// <c>TEL;VALUE=uri:tel:…</c> becomes a 3.0 text TEL; a 4.0 birthday without a year (<c>--MMDD</c>) ↔ Apple's
/// <c>X-APPLE-OMIT-YEAR=1604</c>; 2.1 quoted-printable and CHARSET are decoded; FN is
/// supplied when missing (both versions require it) and N too for 3.0.
/// </summary>
public static partial class VCardConverter
{
    /// <summary>Apple's 3.0 way of a birthday without a year: <c>BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15</c>.</summary>
    private const string OmitYear = "X-APPLE-OMIT-YEAR";
    private const string AppleYear = "1604";

    private static readonly string[] BinaryProperties = ["PHOTO", "LOGO", "SOUND", "KEY"];

    /// <summary>
    /// <paramref name="card"/> as <paramref name="target"/> (3.0 or 4.0). A card already of that version is returned
    /// as it is, so what a client stored is served byte for byte.
    /// </summary>
    public static VCard ToVersion(VCard card, VCardVersion target)
    {
        if (target is not (VCardVersion.V3 or VCardVersion.V4))
            throw new ArgumentOutOfRangeException(nameof(target), target, "CardDAV serves vCard 3.0 and 4.0");
        var source = card.Version;
        if (source == target)
            return card;
        var properties = new List<VCardProperty>(card.Properties.Count + 2);
        foreach (var property in card.Properties)
        {
            var converted = Convert(property, source, target);
            if (converted is not null)
                properties.Add(converted);
        }
        if (!properties.Any(p => p.Is("VERSION")))
            properties.Insert(0, new VCardProperty(null, "VERSION", [], target.ToText()!));
        AddRequiredNames(properties, target);
        return card.WithProperties(properties);
    }

    private static VCardProperty? Convert(VCardProperty property, VCardVersion source, VCardVersion target)
    {
        if (property.Is("VERSION"))
            return new VCardProperty(property.Group, property.Name, [], target.ToText()!);
        var result = source == VCardVersion.V21 ? FromV21(property) : property;
        if (target == VCardVersion.V4)
            return ToV4(result);
        return ToV3(result);
    }

    /// <summary>Quoted-printable decoded, CHARSET dropped; every property is rewritten (2.1 syntax is not 3.0's).</summary>
    private static VCardProperty FromV21(VCardProperty property)
    {
        if (VCardEncodings.IsQuotedPrintable(property))
        {
            // The decoded text is still in vCard syntax, except that its line breaks are real ones.
            var decoded = VCardEncodings.DecodeTransfer(property).ReplaceLineEndings("\\n");
            property = property.WithRawValue(decoded).WithParameters(property.Parameters.Where(p => !p.Is("ENCODING")));
        }
        return property.WithParameters(property.Parameters.Where(p => !p.Is("CHARSET")));
    }

    private static VCardProperty? ToV4(VCardProperty property)
    {
        if (property.Is("X-ADDRESSBOOKSERVER-KIND"))
            return property.WithName("KIND").WithRawValue(property.RawValue.ToLowerInvariant());
        if (property.Is("X-ADDRESSBOOKSERVER-MEMBER"))
            return property.WithName("MEMBER");
        if (IsBinaryProperty(property) && VCardEncodings.IsBase64(property))
        {
            var mediaType = VCardEncodings.MediaTypeOf(property) ?? "application/octet-stream";
            property = property.WithRawValue($"data:{mediaType};base64,{WithoutWhitespace(property.RawValue)}")
                .WithParameters(property.Parameters.Where(p => !p.Is("ENCODING") && !p.Is("TYPE") && !p.Is("VALUE")));
        }
        if (IsDate(property) && property.GetParameter(OmitYear) is { } year && property.RawValue.StartsWith(year + "-", StringComparison.Ordinal))
        {
            property = property.WithRawValue("--" + property.RawValue[(year.Length + 1)..].Replace("-", "", StringComparison.Ordinal))
                .WithParameters(property.Parameters.Where(p => !p.Is(OmitYear)));
        }
        if (property.Types.Contains("pref"))
        {
            var parameters = WithoutType(property.Parameters, "pref");
            if (property.GetParameter("PREF") is null)
                parameters.Add(new VCardParameter("PREF", "1"));
            property = property.WithParameters(parameters);
        }
        return property;
    }

    private static VCardProperty? ToV3(VCardProperty property)
    {
        if (property.Is("KIND"))
        {
            var kind = property.GetText().Trim().ToLowerInvariant();
            return kind is "" or "individual" ? null : property.WithName("X-ADDRESSBOOKSERVER-KIND").WithRawValue(kind);
        }
        if (property.Is("MEMBER"))
            return property.WithName("X-ADDRESSBOOKSERVER-MEMBER");
        if (IsBinaryProperty(property) && VCardEncodings.IsBase64(property))
        {
            var parameters = property.Parameters.Select(p => p.Is("ENCODING") ? p with { Values = ["b"] } : p);
            property = property.WithRawValue(WithoutWhitespace(property.RawValue)).WithParameters(parameters);
        }
        else if (IsBinaryProperty(property) && property.GetBinary() is { } binary)
        {
            var parameters = property.Parameters.Where(p => !p.Is("MEDIATYPE") && !p.Is("VALUE")).ToList();
            parameters.Insert(0, new VCardParameter("ENCODING", "b"));
            if (VCardEncodings.TypeOfMediaType(binary.MediaType) is { } type)
                parameters.Insert(1, new VCardParameter("TYPE", type));
            property = property.WithRawValue(System.Convert.ToBase64String(binary.Data)).WithParameters(parameters);
        }
        if (property.Is("TEL") && property.RawValue.StartsWith("tel:", StringComparison.OrdinalIgnoreCase))
            property = property.WithRawValue(property.RawValue[4..]).WithParameters(property.Parameters.Where(p => !p.Is("VALUE")));
        if (IsDate(property) && YearlessDate().Match(property.RawValue) is { Success: true } yearless)
        {
            property = property.WithRawValue($"{AppleYear}-{yearless.Groups[1].Value}-{yearless.Groups[2].Value}")
                .WithParameters([.. property.Parameters.Where(p => !p.Is("VALUE")), new VCardParameter(OmitYear, AppleYear)]);
        }
        if (property.GetParameter("PREF") is { } pref)
        {
            var parameters = property.Parameters.Where(p => !p.Is("PREF")).ToList();
            if (pref.Trim() == "1" && !property.Types.Contains("pref"))
                parameters.Add(new VCardParameter("TYPE", "pref"));
            property = property.WithParameters(parameters);
        }
        return property;
    }

    /// <summary>FN from N, ORG or EMAIL when missing (after VERSION); for 3.0 N from FN when missing (after FN).</summary>
    private static void AddRequiredNames(List<VCardProperty> properties, VCardVersion target)
    {
        var at = properties.FindIndex(p => p.Is("VERSION")) + 1;
        var fn = properties.FirstOrDefault(p => p.Is("FN"))?.GetText();
        if (fn is null)
        {
            fn = DeriveFormattedName(properties);
            properties.Insert(at, VCardProperty.Text("FN", fn));
        }
        if (target == VCardVersion.V3 && !properties.Any(p => p.Is("N")))
            properties.Insert(properties.FindIndex(p => p.Is("FN")) + 1, VCardProperty.Structured("N", [[fn], [], [], [], []]));
    }

    private static string DeriveFormattedName(List<VCardProperty> properties)
    {
        if (properties.FirstOrDefault(p => p.Is("N")) is { } n)
        {
            var parts = new[] { n.GetComponent(3), n.GetComponent(1), n.GetComponent(2), n.GetComponent(0), n.GetComponent(4) };
            var joined = string.Join(" ", parts.Where(s => s.Length > 0));
            if (joined.Length > 0)
                return joined;
        }
        if (properties.FirstOrDefault(p => p.Is("ORG")) is { } org && org.GetComponent(0).Length > 0)
            return org.GetComponent(0);
        return properties.FirstOrDefault(p => p.Is("EMAIL"))?.GetText() ?? "";
    }

    private static bool IsBinaryProperty(VCardProperty property) => BinaryProperties.Any(property.Is);

    private static bool IsDate(VCardProperty property) => property.Is("BDAY") || property.Is("ANNIVERSARY");

    private static string WithoutWhitespace(string value) => string.Concat(value.Where(c => !char.IsWhiteSpace(c)));

    /// <summary>A 4.0 date without a year (RFC 6350 §4.3.1 <c>--MMDD</c>; <c>--MM-DD</c> tolerated).</summary>
    [GeneratedRegex(@"^--(\d{2})-?(\d{2})$")]
    private static partial Regex YearlessDate();

    private static List<VCardParameter> WithoutType(IReadOnlyList<VCardParameter> parameters, string type)
    {
        var result = new List<VCardParameter>();
        foreach (var parameter in parameters)
        {
            if (!parameter.Is("TYPE"))
            {
                result.Add(parameter);
                continue;
            }
            var values = parameter.Values
                .Select(v => string.Join(",", v.Split(',').Where(t => !t.Trim().Equals(type, StringComparison.OrdinalIgnoreCase))))
                .Where(v => v.Length > 0).ToList();
            if (values.Count > 0)
                result.Add(parameter with { Values = values });
        }
        return result;
    }
}
