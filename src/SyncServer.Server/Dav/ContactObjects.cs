using System.Text.RegularExpressions;
using SyncServer.Core.Model;

namespace SyncServer.Server.Dav;

/// <summary>
/// The checks and index of a stored vCard (RFC 6352 §5.1): one VCARD with a UID. Reads unfolded content lines only far enough
/// to index UID, FN and EMAIL; the full codec lives in Protocols/VCard.
/// </summary>
public static partial class ContactObjects
{
    public static ContactIndex? TryIndex(string text)
    {
        var lines = FoldedLine().Replace(text, "").Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        if (lines.Count < 2 || !lines[0].Equals("BEGIN:VCARD", StringComparison.OrdinalIgnoreCase)
            || !lines[^1].Equals("END:VCARD", StringComparison.OrdinalIgnoreCase)
            || lines.Count(l => l.Equals("BEGIN:VCARD", StringComparison.OrdinalIgnoreCase)) != 1)
            return null;
        string? Value(string line) => line.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? line[(colon + 1)..] : null;
        bool Named(string line, string name)
        {
            var head = line.Split(':', 2)[0].Split(';', 2)[0];
            var dot = head.IndexOf('.', StringComparison.Ordinal);
            return head[(dot + 1)..].Equals(name, StringComparison.OrdinalIgnoreCase);
        }
        var uid = lines.Where(l => Named(l, "UID")).Select(Value).FirstOrDefault();
        if (string.IsNullOrWhiteSpace(uid) || !lines.Any(l => Named(l, "VERSION")))
            return null;
        var fn = lines.Where(l => Named(l, "FN")).Select(Value).FirstOrDefault();
        var emails = lines.Where(l => Named(l, "EMAIL")).Select(Value).OfType<string>().ToList();
        return new ContactIndex(uid, fn, emails);
    }

    [GeneratedRegex("\r?\n[ \t]")]
    private static partial Regex FoldedLine();
}
