using System.Text;

namespace SyncServer.Protocols.Imap;

/// <summary>
/// Mailbox names between their wire form and the UTF-8 name the store keeps. Rev1 clients use modified UTF-7
/// (RFC 3501 §5.1.3); IMAP4rev2 and UTF8=ACCEPT clients send UTF-8 as is (RFC 9051 §5.1, RFC 6855 §3). The
/// session knows which it has enabled and says so with <c>utf8</c>.
/// </summary>
public static class ImapMailboxName
{
    private const string Base64Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

    /// <summary>
    /// The stored name for a wire name, or null if it is not valid modified UTF-7. INBOX is case-insensitive
    /// (RFC 9051 §5.1), so any spelling of it comes back as "INBOX".
    /// </summary>
    public static string? Decode(string wire, bool utf8)
    {
        var name = utf8 ? wire : DecodeModifiedUtf7(wire);
        return name is not null && name.Equals("INBOX", StringComparison.OrdinalIgnoreCase) ? "INBOX" : name;
    }

    /// <summary>The wire name for a stored name.</summary>
    public static string Encode(string name, bool utf8) => utf8 ? name : EncodeModifiedUtf7(name);

    public static string EncodeModifiedUtf7(string name)
    {
        var wire = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length;)
        {
            if (name[i] is >= ' ' and <= '~')
            {
                wire.Append(name[i] == '&' ? "&-" : name[i]);
                i++;
                continue;
            }
            var end = i;
            while (end < name.Length && name[end] is < ' ' or > '~')
                end++;
            wire.Append('&').Append(ModifiedBase64(Encoding.BigEndianUnicode.GetBytes(name[i..end]))).Append('-');
            i = end;
        }
        return wire.ToString();
    }

    public static string? DecodeModifiedUtf7(string wire)
    {
        var name = new StringBuilder(wire.Length);
        for (var i = 0; i < wire.Length; i++)
        {
            var c = wire[i];
            if (c is < ' ' or > '~')
                return null;
            if (c != '&')
            {
                name.Append(c);
                continue;
            }
            var end = wire.IndexOf('-', i + 1);
            if (end < 0)
                return null;
            if (end == i + 1)
                name.Append('&');
            else if (DecodeShifted(wire[(i + 1)..end]) is { } decoded)
                name.Append(decoded);
            else
                return null;
            i = end;
        }
        return name.ToString();
    }

    private static string ModifiedBase64(byte[] utf16)
    {
        // Modified BASE64 (RFC 3501 §5.1.3): "," for "/", and no "=" padding.
        return Convert.ToBase64String(utf16).TrimEnd('=').Replace('/', ',');
    }

    private static string? DecodeShifted(string base64)
    {
        if (base64.Any(ch => !Base64Chars.Contains(ch)) || base64.Length % 4 == 1)
            return null;
        var padded = base64.Replace(',', '/') + new string('=', (4 - base64.Length % 4) % 4);
        var utf16 = Convert.FromBase64String(padded);
        if (utf16.Length % 2 != 0)
            return null;
        try
        {
            var text = new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true).GetString(utf16);
            // Printable ASCII must represent itself; encoding it is a different (ambiguous) name.
            return text.Any(ch => ch is >= ' ' and <= '~') ? null : text;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
