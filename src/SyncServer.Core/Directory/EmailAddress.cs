using System.Globalization;

namespace SyncServer.Core.Directory;

/// <summary>
/// A mailbox address <c>local@domain</c> as the directory stores it: the domain lower-cased and in its ASCII
/// (punycode) form, the local part lower-cased too (dot-atom, UTF-8 allowed per RFC 6531). Local parts are
/// case-sensitive in RFC 5321, but every mail system users know treats Bob@ and bob@ as one mailbox.
/// </summary>
public readonly record struct EmailAddress
{
    public const int MaxLength = 254;
    public const int MaxLocalPartLength = 64;

    private const string AtomSpecials = "!#$%&'*+-/=?^_`{|}~";
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };

    private EmailAddress(string localPart, string domain)
    {
        LocalPart = localPart;
        Domain = domain;
    }

    public string LocalPart { get; }
    public string Domain { get; }

    public override string ToString() => $"{LocalPart}@{Domain}";

    public static bool TryParse(string? text, out EmailAddress address)
    {
        address = default;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
            return false;
        var at = text.LastIndexOf('@');
        if (at <= 0 || !IsLocalPart(text[..at]) || !TryParseDomain(text[(at + 1)..], out var domain))
            return false;
        address = new EmailAddress(text[..at].ToLowerInvariant(), domain);
        return address.ToString().Length <= MaxLength;
    }

    /// <summary>Validates a domain name and returns it lower-cased in ASCII (IDN labels as punycode).</summary>
    public static bool TryParseDomain(string? text, out string domain)
    {
        domain = "";
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength || text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            return false;
        string ascii;
        try
        {
            ascii = Idn.GetAscii(text).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return false;
        }
        var labels = ascii.Split('.');
        if (ascii.Length > MaxLength || labels.Length < 2 || !labels.All(IsDomainLabel))
            return false;
        domain = ascii;
        return true;
    }

    private static bool IsLocalPart(string local)
        => local.Length <= MaxLocalPartLength
           && !local.StartsWith('.') && !local.EndsWith('.') && !local.Contains("..", StringComparison.Ordinal)
           && local.All(c => char.IsAsciiLetterOrDigit(c) || c == '.' || AtomSpecials.Contains(c)
                             || (c > 127 && !char.IsWhiteSpace(c) && !char.IsControl(c)));

    private static bool IsDomainLabel(string label)
        => label.Length is > 0 and <= 63
           && !label.StartsWith('-') && !label.EndsWith('-')
           && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
