namespace SyncServer.Protocols.VCard;

/// <summary>
/// The grammar of one unfolded content line (RFC 6350 §3.3, RFC 2426 §4.1):
/// <c>[group "."] name *(";" param) ":" value</c>, <c>param = name "=" value *("," value)</c> or a 2.1 bare value,
/// a parameter value quoted or not, with RFC 6868 <c>^</c>-escapes.
/// </summary>
internal static class VCardContentLine
{
    private static readonly HashSet<string> BareEncodings = new(StringComparer.OrdinalIgnoreCase)
    {
        "QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT",
    };

    public static VCardProperty? Parse(string line, string originalText, out string error)
    {
        error = "";
        var position = 0;
        var name = ReadName(line, ref position);
        string? group = null;
        if (position < line.Length && line[position] == '.')
        {
            group = name;
            position++;
            name = ReadName(line, ref position);
        }
        if (name.Length == 0 || (group is not null && group.Length == 0))
        {
            error = "a content line starts with a property name";
            return null;
        }
        var parameters = new List<VCardParameter>();
        while (position < line.Length && line[position] == ';')
        {
            position++;
            var parameter = ReadParameter(line, ref position, out error);
            if (parameter is null)
                return null;
            parameters.Add(parameter);
        }
        if (position >= line.Length || line[position] != ':')
        {
            error = $"'{Shorten(name)}' has no ':' before its value";
            return null;
        }
        return new VCardProperty(group, name, parameters, line[(position + 1)..], originalText);
    }

    private static VCardParameter? ReadParameter(string line, ref int position, out string error)
    {
        error = "";
        var name = ReadName(line, ref position);
        if (position < line.Length && line[position] == '=' && name.Length > 0)
        {
            position++;
            var values = new List<string>();
            while (true)
            {
                var value = ReadParameterValue(line, ref position, out error);
                if (value is null)
                    return null;
                values.Add(value);
                if (position < line.Length && line[position] == ',')
                    position++;
                else
                    break;
            }
            return new VCardParameter(name, values);
        }
        if (name.Length > 0 && position < line.Length && line[position] is ';' or ':')
            return new VCardParameter(BareEncodings.Contains(name) ? "ENCODING" : "TYPE", name);
        error = "bad parameter" + (name.Length > 0 ? $" '{Shorten(name)}'" : "");
        return null;
    }

    private static string? ReadParameterValue(string line, ref int position, out string error)
    {
        error = "";
        if (position < line.Length && line[position] == '"')
        {
            var close = line.IndexOf('"', position + 1);
            if (close < 0)
            {
                error = "unterminated quoted parameter value";
                return null;
            }
            var quoted = line[(position + 1)..close];
            position = close + 1;
            return VCardEscaping.DecodeParameterValue(quoted);
        }
        var start = position;
        while (position < line.Length && line[position] is not (',' or ';' or ':' or '"'))
            position++;
        if (position < line.Length && line[position] == '"')
        {
            error = "a quote inside a parameter value";
            return null;
        }
        return VCardEscaping.DecodeParameterValue(line[start..position]);
    }

    /// <summary>A name: letters, digits, '-' and (tolerated) '_', surrounding blanks skipped.</summary>
    private static string ReadName(string line, ref int position)
    {
        while (position < line.Length && line[position] is ' ' or '\t')
            position++;
        var start = position;
        while (position < line.Length && (char.IsAsciiLetterOrDigit(line[position]) || line[position] is '-' or '_'))
            position++;
        var name = line[start..position];
        while (position < line.Length && line[position] is ' ' or '\t')
            position++;
        return name;
    }

    private static string Shorten(string name) => name.Length <= 40 ? name : name[..40] + "…";
}
