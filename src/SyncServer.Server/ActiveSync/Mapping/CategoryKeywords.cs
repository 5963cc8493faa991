using System.Text;

namespace SyncServer.Server.ActiveSync.Mapping;

/// <summary>
/// <c>email:Categories/Category</c> ↔ IMAP keywords (client-requirements A.5.1). A category is any keyword that is
/// not a system one: not starting with <c>$</c> or <c>\</c> and not one of the junk markers mail clients set. A
/// keyword is an IMAP atom (RFC 3501 §9), so a category's characters that an atom cannot hold (space, non-ASCII,
/// atom-specials) and a leading <c>$</c> are written as in modified UTF-7 mailbox names (RFC 3501 §5.1.3):
/// <c>&amp;</c> + base64 of UTF-16BE with <c>,</c> for <c>/</c> + <c>-</c>, and <c>&amp;</c> itself as <c>&amp;-</c>.
/// "Blue Category" is the keyword <c>Blue&amp;ACA-Category</c>; "Work" stays <c>Work</c>.
/// </summary>
public static class CategoryKeywords
{
    private static readonly string[] NotCategories = ["Junk", "NonJunk", "NotJunk"];

    public static bool IsCategory(string keyword)
        => keyword.Length > 0 && keyword[0] is not ('$' or '\\') && !NotCategories.Contains(keyword, StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<string> Categories(IEnumerable<string> keywords) => keywords.Where(IsCategory).Select(ToCategory);

    public static string ToKeyword(string category)
    {
        var keyword = new StringBuilder();
        var pending = new StringBuilder();
        for (var i = 0; i < category.Length; i++)
        {
            var c = category[i];
            if (IsAtomChar(c) && !(i == 0 && c == '$'))
            {
                Flush(keyword, pending);
                keyword.Append(c == '&' ? "&-" : c);
            }
            else
                pending.Append(c);
        }
        Flush(keyword, pending);
        return keyword.ToString();
    }

    /// <summary>The category a keyword stands for; a keyword whose <c>&amp;…-</c> runs do not decode is its own name.</summary>
    public static string ToCategory(string keyword)
    {
        var category = new StringBuilder();
        for (var i = 0; i < keyword.Length; i++)
        {
            if (keyword[i] != '&')
            {
                category.Append(keyword[i]);
                continue;
            }
            var end = keyword.IndexOf('-', i + 1);
            if (end < 0)
                return keyword;
            if (end == i + 1)
                category.Append('&');
            else if (Decode(keyword[(i + 1)..end]) is { } run)
                category.Append(run);
            else
                return keyword;
            i = end;
        }
        return category.ToString();
    }

    private static void Flush(StringBuilder keyword, StringBuilder pending)
    {
        if (pending.Length == 0)
            return;
        var base64 = Convert.ToBase64String(Encoding.BigEndianUnicode.GetBytes(pending.ToString())).TrimEnd('=').Replace('/', ',');
        keyword.Append('&').Append(base64).Append('-');
        pending.Clear();
    }

    private static string? Decode(string run)
    {
        var padded = run.Replace(',', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        var bytes = new byte[padded.Length];
        return Convert.TryFromBase64String(padded, bytes, out var length) && length % 2 == 0 ? Encoding.BigEndianUnicode.GetString(bytes, 0, length) : null;
    }

    /// <summary>ATOM-CHAR of RFC 3501 §9: printable ASCII except atom-specials.</summary>
    private static bool IsAtomChar(char c) => c is > ' ' and < (char)0x7F and not ('(' or ')' or '{' or '%' or '*' or '"' or '\\' or ']');
}
