using System.Text.RegularExpressions;

namespace SyncServer.Core.MailAuth;

/// <summary>The SPF results (RFC 7208 §2.6).</summary>
public enum SpfResult
{
    None = 0,
    Neutral = 1,
    Pass = 2,
    Fail = 3,
    SoftFail = 4,
    TempError = 5,
    PermError = 6,
}

/// <summary>One directive: its qualifier's result, the mechanism name (lower case) and the text after it (":..." or "/...").</summary>
internal sealed record SpfDirective(SpfResult Qualifier, string Mechanism, string Argument);

/// <summary>A parsed <c>v=spf1</c> record (RFC 7208 §4.6, §12): directives in order and the redirect target.</summary>
internal sealed partial record SpfRecord(IReadOnlyList<SpfDirective> Directives, string? Redirect)
{
    /// <summary>Whether a TXT string is an SPF record: "v=spf1" alone or followed by a space (§4.5).</summary>
    public static bool IsSpf(string txt)
        => txt.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase) && (txt.Length == 6 || txt[6] == ' ');

    /// <summary>The record, or null for a syntax error (a permerror).</summary>
    public static SpfRecord? Parse(string txt)
    {
        var directives = new List<SpfDirective>();
        string? redirect = null;
        var explanations = 0;
        foreach (var term in txt.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            if (Modifier().Match(term) is { Success: true } modifier)
            {
                var name = modifier.Groups[1].Value.ToLowerInvariant();
                var value = term[(name.Length + 1)..];
                // redirect and exp may each appear once (§6); exp is validated for that but not used; unknown modifiers are ignored.
                if (name == "redirect" && (redirect is not null || value.Length == 0))
                    return null;
                if (name == "redirect")
                    redirect = value;
                if (name == "exp" && ++explanations > 1)
                    return null;
                continue;
            }
            if (ParseDirective(term) is not { } directive)
                return null;
            directives.Add(directive);
        }
        return new SpfRecord(directives, redirect);
    }

    private static SpfDirective? ParseDirective(string term)
    {
        var qualifier = term[0] switch
        {
            '+' => SpfResult.Pass,
            '-' => SpfResult.Fail,
            '~' => SpfResult.SoftFail,
            '?' => SpfResult.Neutral,
            _ => (SpfResult?)null,
        };
        var body = qualifier is null ? term : term[1..];
        var nameLength = body.IndexOfAny([':', '/']) is var end and >= 0 ? end : body.Length;
        var name = body[..nameLength].ToLowerInvariant();
        var argument = body[nameLength..];
        var valid = name switch
        {
            "all" => argument.Length == 0,
            "include" or "exists" or "ip4" or "ip6" => argument.Length > 1 && argument[0] == ':',
            "a" or "mx" or "ptr" => argument.Length == 0 || argument.Length > 1,
            _ => false,
        };
        return valid ? new SpfDirective(qualifier ?? SpfResult.Pass, name, argument) : null;
    }

    /// <summary>The domain-spec and the CIDR lengths of an <c>a</c> or <c>mx</c> argument (<c>[:domain][/v4][//v6]</c>).</summary>
    public static (string? Domain, int V4, int V6)? DualCidr(string argument)
    {
        var match = DualCidrSuffix().Match(argument);
        var v4 = match.Groups[1].Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 32;
        var v6 = match.Groups[2].Success ? int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : 128;
        var domain = argument[..match.Index];
        if (v4 > 32 || v6 > 128 || (domain.Length > 0 && (domain[0] != ':' || domain.Length == 1)))
            return null;
        return (domain.Length > 0 ? domain[1..] : null, v4, v6);
    }

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9_.-]*)=")]
    private static partial Regex Modifier();

    [GeneratedRegex(@"(?:/(\d{1,3}))?(?://(\d{1,3}))?$")]
    private static partial Regex DualCidrSuffix();
}
