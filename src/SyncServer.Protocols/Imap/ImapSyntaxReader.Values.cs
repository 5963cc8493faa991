using System.Buffers;
using System.Globalization;
using System.Text;

namespace SyncServer.Protocols.Imap;

/// <summary>Composite values several commands share: dates, flags, mailbox names, parenthesised lists.</summary>
internal ref partial struct ImapSyntaxReader
{
    private static readonly string[] Months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly SearchValues<byte> DateChars = SearchValues.Create(
        "0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>Mailbox names are astrings as sent; <see cref="ImapMailboxName"/> decodes them for the session.</summary>
    public string Mailbox() => AString();

    /// <summary>flag = "\" atom / keyword (RFC 9051 §9); system flags keep their backslash.</summary>
    public string Flag()
    {
        var system = TryConsume((byte)'\\');
        var name = Encoding.ASCII.GetString(Atom());
        return system ? "\\" + name : name;
    }

    /// <summary>flag-list = "(" [flag *(SP flag)] ")".</summary>
    public List<string> FlagList()
    {
        var flags = new List<string>();
        Expect((byte)'(');
        if (!TryConsume((byte)')'))
        {
            do flags.Add(Flag());
            while (TrySpace());
            Expect((byte)')');
        }
        return flags;
    }

    /// <summary>Flags of STORE: a flag-list, or flags separated by spaces without parentheses.</summary>
    public List<string> FlagsWithOrWithoutParentheses()
    {
        if (Peek() == '(')
            return FlagList();
        var flags = new List<string> { Flag() };
        while (TrySpace())
            flags.Add(Flag());
        return flags;
    }

    /// <summary>"(" astring *(SP astring) ")" or, where the grammar allows it, one bare astring.</summary>
    public List<string> AStringList(bool allowSingle)
    {
        var items = new List<string>();
        if (allowSingle && Peek() != '(')
        {
            items.Add(AString());
            return items;
        }
        Expect((byte)'(');
        do items.Add(AString());
        while (TrySpace());
        Expect((byte)')');
        return items;
    }

    /// <summary>date = date-text / DQUOTE date-text DQUOTE; date-text = 1*2DIGIT "-" date-month "-" 4DIGIT.</summary>
    public DateOnly Date()
    {
        var quoted = TryConsume((byte)'"');
        var text = Encoding.ASCII.GetString(Take(DateChars, "Expected date"));
        if (quoted)
            Expect((byte)'"');
        var parts = text.Split('-');
        if (parts is not [{ Length: 1 or 2 } day, var month, { Length: 4 } year]
            || !int.TryParse(day, NumberStyles.None, CultureInfo.InvariantCulture, out var d)
            || !int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y)
            || Array.IndexOf(Months, month.ToUpperInvariant()) is var m && m < 0
            || d < 1 || d > System.DateTime.DaysInMonth(Math.Max(1, y), m + 1) || y < 1)
            throw Fail("Expected date like 1-Feb-1994");
        return new DateOnly(y, m + 1, d);
    }

    /// <summary>date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE.</summary>
    public DateTimeOffset DateTime()
    {
        var octets = StringOctetsIfQuoted();
        // date-day-fixed is (SP DIGIT) / 2DIGIT, so " 1-Feb-1994 …" is the same as "01-Feb-1994 …".
        var text = Encoding.ASCII.GetString(octets).TrimStart();
        if (text.Length is < 25 or > 26)
            throw Fail("Expected date-time like \"17-Jul-1996 02:44:25 -0700\"");
        var zone = text[^5..];
        if (!System.DateTime.TryParseExact(text[..^6], ["d-MMM-yyyy HH:mm:ss"], CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var local)
            || text[^6] != ' ' || zone[0] is not ('+' or '-')
            || !int.TryParse(zone[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var hhmm)
            || hhmm % 100 >= 60 || hhmm > 1400)
            throw Fail("Expected date-time like \"17-Jul-1996 02:44:25 -0700\"");
        var offset = new TimeSpan(hhmm / 100, hhmm % 100, 0);
        return new DateTimeOffset(local, zone[0] == '-' ? -offset : offset);
    }

    private ReadOnlySpan<byte> StringOctetsIfQuoted() =>
        Peek() == '"' ? StringOctets(allowBinary: false) : throw Fail("Expected quoted date-time");
}
