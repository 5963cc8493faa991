using System.Text;

namespace SyncServer.Protocols.CardDav;

/// <summary>The collations of RFC 4790 a text-match may name (RFC 6352 §8.3).</summary>
public enum CardCollation
{
    /// <summary><c>i;unicode-casemap</c> (RFC 5051), the default: case-insensitive across Unicode, compatibility-decomposed.</summary>
    UnicodeCasemap,

    /// <summary><c>i;ascii-casemap</c>: only ASCII letters fold.</summary>
    AsciiCasemap,

    /// <summary><c>i;octet</c>: exact.</summary>
    Octet,
}

/// <summary>The match-type attribute of text-match (RFC 6352 §10.5.4).</summary>
public enum CardMatchType
{
    /// <summary><c>equals</c>.</summary>
    EqualTo,

    /// <summary><c>contains</c>, the default.</summary>
    Contains,

    /// <summary><c>starts-with</c>.</summary>
    StartsWith,

    /// <summary><c>ends-with</c>.</summary>
    EndsWith,
}

/// <summary>A CARDDAV:text-match (RFC 6352 §10.5.4): a substring test under a collation, optionally negated.</summary>
/// <param name="Text">The text to look for.</param>
/// <param name="Collation">How characters compare.</param>
/// <param name="MatchType">Where in the value the text must be.</param>
/// <param name="Negate"><c>negate-condition="yes"</c>: the result is inverted.</param>
public sealed record CardTextMatch(string Text, CardCollation Collation = CardCollation.UnicodeCasemap, CardMatchType MatchType = CardMatchType.Contains, bool Negate = false)
{
    /// <summary>The collation names this server supports, as CARDDAV:supported-collation-set lists them.</summary>
    public static readonly IReadOnlyList<string> CollationNames = ["i;unicode-casemap", "i;ascii-casemap", "i;octet"];

    /// <summary>The collation named <paramref name="name"/>, or null when not supported.</summary>
    public static CardCollation? CollationNamed(string name) => name switch
    {
        "i;unicode-casemap" => CardCollation.UnicodeCasemap,
        "i;ascii-casemap" => CardCollation.AsciiCasemap,
        "i;octet" => CardCollation.Octet,
        _ => null,
    };

    /// <summary>Whether <paramref name="value"/> satisfies this text-match (negation applied).</summary>
    public bool Matches(string value)
    {
        var text = Fold(Text);
        var candidate = Fold(value);
        var found = MatchType switch
        {
            CardMatchType.EqualTo => candidate.Equals(text, StringComparison.Ordinal),
            CardMatchType.StartsWith => candidate.StartsWith(text, StringComparison.Ordinal),
            CardMatchType.EndsWith => candidate.EndsWith(text, StringComparison.Ordinal),
            _ => candidate.Contains(text, StringComparison.Ordinal),
        };
        return found != Negate;
    }

    private string Fold(string value) => Collation switch
    {
        CardCollation.Octet => value,
        CardCollation.AsciiCasemap => AsciiUpper(value),
        _ => UnicodeCasemap(value),
    };

    /// <summary>
    /// RFC 5051 with .NET's simple case mapping: NFKD, then upper case (decomposing first lets a ligature such as
    /// U+FB01 fold too). A string that cannot be normalised (a lone surrogate) is only upper-cased.
    /// </summary>
    private static string UnicodeCasemap(string value)
    {
        try
        {
            return value.Normalize(NormalizationForm.FormKD).ToUpperInvariant();
        }
        catch (ArgumentException)
        {
            return value.ToUpperInvariant();
        }
    }

    private static string AsciiUpper(string value) =>
        string.Create(value.Length, value, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
                span[i] = char.IsAsciiLetterLower(source[i]) ? (char)(source[i] - 32) : source[i];
        });
}
