using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Unicode;

namespace SyncServer.Protocols.Smtp;

internal enum SmtpPathKind
{
    Reverse,
    Forward,
}

/// <summary>
/// Step 2 of command parsing: Reverse-path / Forward-path of RFC 5321 §4.1.2, with the RFC 6531 extension that
/// lets atext, qtext and domain labels carry UTF-8 (validated here; whether it is allowed is the caller's call).
/// </summary>
internal static class SmtpPathParser
{
    // RFC 5321 §4.5.3.1: local part 64, domain 255, path 256 octets (brackets included).
    private const int MaxLocalPartLength = 64;
    private const int MaxDomainLength = 255;
    private const int MaxPathLength = 256;

    /// <summary>Parses a path at the start of <paramref name="text"/>; <paramref name="length"/> is its octet count.</summary>
    public static SmtpSyntaxError? TryParse(
        ReadOnlySpan<byte> text, SmtpPathKind kind, out SmtpAddress? address, out int length)
    {
        address = null;
        length = 0;
        if (At(text, 0) != '<')
            return SmtpSyntaxError.Path(kind, "Path must be enclosed in <>");
        if (At(text, 1) == '>')
        {
            length = 2;
            return kind == SmtpPathKind.Reverse ? null : SmtpSyntaxError.Path(kind, "Null path not allowed here");
        }

        var pos = 1;
        if (At(text, pos) == '@' && !SkipSourceRoute(text, ref pos))
            return SmtpSyntaxError.Path(kind, "Bad source route");
        var localStart = pos;
        var local = At(text, pos) == '"' ? ReadQuotedString(text, ref pos) : ReadDotString(text, ref pos);
        if (local is null || pos - localStart > MaxLocalPartLength)
            return SmtpSyntaxError.Path(kind, "Bad local part");

        string domain;
        if (At(text, pos) == '>' && kind == SmtpPathKind.Forward
            && string.Equals(local, "Postmaster", StringComparison.OrdinalIgnoreCase))
        {
            domain = "";
        }
        else
        {
            if (At(text, pos) != '@')
                return SmtpSyntaxError.Path(kind, "Address must have a domain");
            pos++;
            var domainLength = ParseDomainOrAddressLiteral(text[pos..]);
            if (domainLength == 0)
                return SmtpSyntaxError.Path(kind, "Bad domain");
            domain = Encoding.UTF8.GetString(text.Slice(pos, domainLength));
            pos += domainLength;
        }

        if (At(text, pos) != '>')
            return SmtpSyntaxError.Path(kind, "Path must end with >");
        length = pos + 1;
        if (length > MaxPathLength)
            return SmtpSyntaxError.Path(kind, "Path too long");
        if (!Utf8.IsValid(text[..length]))
            return SmtpSyntaxError.Path(kind, "Path is not valid UTF-8");
        address = new SmtpAddress(local, domain);
        return null;
    }

    /// <summary>Octets of the Domain or address-literal at the start of <paramref name="text"/>; 0 when neither.</summary>
    public static int ParseDomainOrAddressLiteral(ReadOnlySpan<byte> text) =>
        At(text, 0) == '[' ? ParseAddressLiteral(text) : ParseDomain(text);

    /// <summary>True when <paramref name="localPart"/> can be written without quotes (RFC 5321 Dot-string).</summary>
    public static bool IsDotString(string localPart)
    {
        var bytes = Encoding.UTF8.GetBytes(localPart);
        var pos = 0;
        return ReadDotString(bytes, ref pos) is not null && pos == bytes.Length;
    }

    private static int At(ReadOnlySpan<byte> text, int pos) => pos < text.Length ? text[pos] : -1;

    // A-d-l ":" — "@a,@b:" — accepted and ignored (RFC 5321 §4.1.2, Appendix C).
    private static bool SkipSourceRoute(ReadOnlySpan<byte> text, ref int pos)
    {
        while (true)
        {
            if (At(text, pos) != '@')
                return false;
            var domainLength = ParseDomain(text[(pos + 1)..]);
            if (domainLength == 0)
                return false;
            pos += 1 + domainLength;
            var separator = At(text, pos++);
            if (separator == ':')
                return true;
            if (separator != ',')
                return false;
        }
    }

    private static string? ReadDotString(ReadOnlySpan<byte> text, ref int pos)
    {
        var start = pos;
        while (true)
        {
            var atomStart = pos;
            while (pos < text.Length && IsAtext(text[pos]))
                pos++;
            if (pos == atomStart)
                return null;
            if (At(text, pos) != '.')
                return Encoding.UTF8.GetString(text[start..pos]);
            pos++;
        }
    }

    private static string? ReadQuotedString(ReadOnlySpan<byte> text, ref int pos)
    {
        var content = new List<byte>();
        pos++;
        while (pos < text.Length)
        {
            var c = text[pos++];
            if (c == '"')
                return Encoding.UTF8.GetString(content.ToArray());
            if (c == '\\')
            {
                // quoted-pairSMTP = %d92 %d32-126: the escaped octet is always ASCII.
                if (pos == text.Length || text[pos] is < 32 or > 126)
                    return null;
                c = text[pos++];
            }
            else if (c < 32 || c == 127)
            {
                return null;
            }
            content.Add(c);
        }
        return null;
    }

    private static int ParseDomain(ReadOnlySpan<byte> text)
    {
        var pos = 0;
        while (true)
        {
            // sub-domain = Let-dig [Ldh-str]: no leading or trailing hyphen; octets >= 0x80 are U-label text.
            var labelStart = pos;
            while (pos < text.Length && (IsLetDig(text[pos]) || text[pos] == '-'))
                pos++;
            if (pos == labelStart || text[labelStart] == '-' || text[pos - 1] == '-')
                return 0;
            if (At(text, pos) != '.')
                return pos <= MaxDomainLength ? pos : 0;
            pos++;
        }
    }

    private static int ParseAddressLiteral(ReadOnlySpan<byte> text)
    {
        var close = text.IndexOf((byte)']');
        if (close < 0)
            return 0;
        var content = text[1..close];
        var valid = content.Length > 5 && Ascii.EqualsIgnoreCase(content[..5], "IPv6:"u8)
            ? IsIPv6(content[5..])
            : IsIPv4(content);
        return valid ? close + 1 : 0;
    }

    private static bool IsIPv6(ReadOnlySpan<byte> text) =>
        text.IndexOfAnyExcept("0123456789abcdefABCDEF:."u8) < 0
        && IPAddress.TryParse(Encoding.ASCII.GetString(text), out var address)
        && address.AddressFamily == AddressFamily.InterNetworkV6;

    // IPv4-address-literal = Snum 3("." Snum), Snum = 1*3DIGIT of value 0-255; IPAddress.TryParse is too lax
    // (it takes "1" or "0x7f").
    private static bool IsIPv4(ReadOnlySpan<byte> text)
    {
        var parts = 0;
        foreach (var range in text.Split((byte)'.'))
        {
            var part = text[range];
            if (part.Length is 0 or > 3 || part.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
                return false;
            var value = 0;
            foreach (var digit in part)
                value = value * 10 + digit - '0';
            if (value > 255)
                return false;
            parts++;
        }
        return parts == 4;
    }

    private static bool IsLetDig(byte c) => char.IsAsciiLetterOrDigit((char)c) || c >= 0x80;

    private static bool IsAtext(byte c) => IsLetDig(c) || "!#$%&'*+-/=?^_`{|}~"u8.Contains(c);
}
