using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SyncServer.Core.MailAuth;

/// <summary>What SPF macros expand from (RFC 7208 §7.2): the connecting address, the sender and the HELO name.</summary>
internal sealed record SpfIdentity(IPAddress Ip, string Sender, string Helo)
{
    public string LocalPart => Sender[..Sender.LastIndexOf('@')];
    public string SenderDomain => Sender[(Sender.LastIndexOf('@') + 1)..];
}

/// <summary>Macro expansion of a domain-spec (RFC 7208 §7).</summary>
internal static class SpfMacro
{
    private const string Delimiters = ".-+,/_=";

    /// <summary>The expanded string, or null for a syntax error (a permerror).</summary>
    public static string? Expand(string spec, SpfIdentity identity, string domain)
    {
        var result = new StringBuilder();
        for (var i = 0; i < spec.Length; i++)
        {
            if (spec[i] != '%')
            {
                result.Append(spec[i]);
                continue;
            }
            if (++i == spec.Length)
                return null;
            switch (spec[i])
            {
                case '%': result.Append('%'); continue;
                case '_': result.Append(' '); continue;
                case '-': result.Append("%20"); continue;
                case '{': break;
                default: return null;
            }
            var end = spec.IndexOf('}', i);
            if (end < 0 || Expand(spec[(i + 1)..end], identity, domain, result) is false)
                return null;
            i = end;
        }
        return result.ToString();
    }

    /// <summary>One <c>%{letter digits r delimiters}</c>: split the value, maybe reverse it, keep the rightmost parts.</summary>
    private static bool Expand(string macro, SpfIdentity identity, string domain, StringBuilder result)
    {
        if (macro.Length == 0)
            return false;
        var value = Value(char.ToLowerInvariant(macro[0]), identity, domain);
        if (value is null)
            return false;
        var rest = macro[1..];
        var digits = rest.TakeWhile(char.IsAsciiDigit).Count();
        var keep = digits > 0 ? int.Parse(rest[..digits], System.Globalization.CultureInfo.InvariantCulture) : int.MaxValue;
        rest = rest[digits..];
        var reverse = rest.StartsWith('r') || rest.StartsWith('R');
        var delimiters = reverse ? rest[1..] : rest;
        if (keep == 0 || delimiters.Any(c => !Delimiters.Contains(c)))
            return false;
        var parts = value.Split(delimiters.Length > 0 ? delimiters.ToCharArray() : ['.']);
        if (reverse)
            Array.Reverse(parts);
        var expanded = string.Join('.', parts.Skip(Math.Max(0, parts.Length - keep)));
        // An upper-case macro letter asks for URL escaping (RFC 7208 §7.3).
        result.Append(char.IsUpper(macro[0]) ? Uri.EscapeDataString(expanded) : expanded);
        return true;
    }

    private static string? Value(char letter, SpfIdentity identity, string domain) => letter switch
    {
        's' => identity.Sender,
        'l' => identity.LocalPart,
        'o' => identity.SenderDomain,
        'd' => domain,
        'i' => Dotted(identity.Ip),
        'h' => identity.Helo,
        'v' => identity.Ip.AddressFamily == AddressFamily.InterNetwork ? "in-addr" : "ip6",
        // We never validate the client's name (no PTR lookups), which RFC 7208 §7.3 expresses as "unknown".
        'p' => "unknown",
        _ => null, // c, r and t belong to the exp text, which we do not use
    };

    /// <summary>%{i}: dotted-quad for IPv4, dot-separated nibbles for IPv6 (RFC 7208 §7.3).</summary>
    private static string Dotted(IPAddress ip)
        => ip.AddressFamily == AddressFamily.InterNetwork
            ? ip.ToString()
            : string.Join('.', Convert.ToHexStringLower(ip.GetAddressBytes()).ToCharArray());
}
