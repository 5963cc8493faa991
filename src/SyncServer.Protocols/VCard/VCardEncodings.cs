using System.Text;

namespace SyncServer.Protocols.VCard;

/// <summary>
/// Transfer encodings of a value: vCard 2.1 QUOTED-PRINTABLE with its CHARSET, inline base64
/// (3.0 <c>ENCODING=b</c>, 2.1 <c>ENCODING=BASE64</c>) and 4.0 <c>data:</c> URIs (RFC 2397).
/// </summary>
internal static class VCardEncodings
{
    private static readonly Dictionary<string, string> ImageTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["JPEG"] = "image/jpeg", ["JPG"] = "image/jpeg", ["PNG"] = "image/png", ["GIF"] = "image/gif",
        ["BMP"] = "image/bmp", ["TIFF"] = "image/tiff", ["WEBP"] = "image/webp", ["HEIC"] = "image/heic",
    };

    public static bool IsQuotedPrintable(VCardProperty property) =>
        string.Equals(property.GetParameter("ENCODING"), "QUOTED-PRINTABLE", StringComparison.OrdinalIgnoreCase);

    public static bool IsBase64(VCardProperty property) =>
        property.GetParameter("ENCODING") is { } encoding
        && (encoding.Equals("b", StringComparison.OrdinalIgnoreCase) || encoding.Equals("BASE64", StringComparison.OrdinalIgnoreCase));

    /// <summary>The raw value with quoted-printable undone (bytes read in the CHARSET, UTF-8 by default).</summary>
    public static string DecodeTransfer(VCardProperty property)
    {
        if (!IsQuotedPrintable(property))
            return property.RawValue;
        var bytes = DecodeQuotedPrintable(property.RawValue);
        return CharsetEncoding(property.GetParameter("CHARSET")).GetString(bytes);
    }

    public static VCardBinary? DecodeBinary(VCardProperty property)
    {
        if (IsBase64(property))
        {
            var data = DecodeBase64(property.RawValue);
            return data is null ? null : new VCardBinary(data, MediaTypeOf(property));
        }
        var value = property.RawValue.AsSpan().Trim();
        if (!value.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
            return null;
        var comma = value.IndexOf(',');
        if (comma < 0)
            return null;
        var header = value[5..comma].ToString();
        var payload = value[(comma + 1)..].ToString();
        var base64 = header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase);
        var mediaType = (base64 ? header[..^7] : header).Split(';')[0];
        var bytes = base64 ? DecodeBase64(payload) : DecodePercent(payload);
        return bytes is null ? null : new VCardBinary(bytes, mediaType.Length == 0 ? null : mediaType);
    }

    /// <summary>The media type named by MEDIATYPE, or by a 3.0/2.1 TYPE such as <c>JPEG</c>.</summary>
    public static string? MediaTypeOf(VCardProperty property)
    {
        if (property.GetParameter("MEDIATYPE") is { Length: > 0 } mediaType)
            return mediaType;
        foreach (var type in property.GetParameterValues("TYPE"))
        {
            if (type.Contains('/', StringComparison.Ordinal))
                return type;
            if (ImageTypes.TryGetValue(type, out var image))
                return image;
        }
        return null;
    }

    /// <summary>The short 3.0 TYPE for a media type (<c>image/jpeg</c> → <c>JPEG</c>).</summary>
    public static string? TypeOfMediaType(string? mediaType)
    {
        if (mediaType is null)
            return null;
        foreach (var (type, media) in ImageTypes)
            if (media.Equals(mediaType, StringComparison.OrdinalIgnoreCase))
                return type;
        return mediaType;
    }

    public static byte[]? DecodeBase64(string text)
    {
        var buffer = new byte[text.Length / 4 * 3 + 3];
        return Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : null;
    }

    /// <summary>Quoted-printable (RFC 2045 §6.7); a malformed <c>=</c> sequence is kept as it is.</summary>
    public static byte[] DecodeQuotedPrintable(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '=' && IsHex(text, i + 1) && IsHex(text, i + 2))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (c == '=' && i + 1 < text.Length && text[i + 1] is '\r' or '\n')
            {
                i += text[i + 1] == '\r' && i + 2 < text.Length && text[i + 2] == '\n' ? 2 : 1;
            }
            else if (c < 0x80)
                bytes.Add((byte)c);
            else
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
        }
        return [.. bytes];
    }

    private static bool IsHex(string text, int index) => index < text.Length && char.IsAsciiHexDigit(text[index]);

    private static byte[]? DecodePercent(string text)
    {
        try
        {
            return Encoding.UTF8.GetBytes(Uri.UnescapeDataString(text));
        }
        catch (UriFormatException)
        {
            return null;
        }
    }

    private static Encoding CharsetEncoding(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset))
            return Encoding.UTF8;
        try
        {
            return CodePagesEncodingProvider.Instance.GetEncoding(charset) ?? Encoding.GetEncoding(charset);
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8;
        }
    }
}
