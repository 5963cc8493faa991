using System.Text;

namespace SyncServer.Protocols.VCard;

/// <summary>
/// Value escaping (RFC 6350 §3.4, RFC 2426 §4: <c>\\ \, \; \n</c>), structured values (components at <c>;</c>,
/// lists at <c>,</c>) and parameter values (RFC 6868: <c>^^ ^n ^'</c>).
/// </summary>
internal static class VCardEscaping
{
    public static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny("\\,;\r\n") < 0)
            return text;
        var builder = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\': builder.Append(@"\\"); break;
                case ',': builder.Append(@"\,"); break;
                case ';': builder.Append(@"\;"); break;
                case '\r':
                    builder.Append(@"\n");
                    if (i + 1 < text.Length && text[i + 1] == '\n')
                        i++;
                    break;
                case '\n': builder.Append(@"\n"); break;
                default: builder.Append(text[i]); break;
            }
        }
        return builder.ToString();
    }

    /// <summary>Resolves backslash escapes; an unknown one (<c>\:</c>) gives the character, a final lone backslash stays.</summary>
    public static string Unescape(string raw)
    {
        if (!raw.Contains('\\', StringComparison.Ordinal))
            return raw;
        var builder = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '\\' || i + 1 == raw.Length)
            {
                builder.Append(raw[i]);
                continue;
            }
            var next = raw[++i];
            builder.Append(next is 'n' or 'N' ? '\n' : next);
        }
        return builder.ToString();
    }

    public static IReadOnlyList<IReadOnlyList<string>> SplitStructured(string raw)
    {
        var components = new List<IReadOnlyList<string>>();
        var values = new List<string>();
        var start = 0;
        for (var i = 0; i <= raw.Length; i++)
        {
            if (i < raw.Length && raw[i] == '\\')
            {
                i++;
                continue;
            }
            if (i < raw.Length && raw[i] is not (';' or ','))
                continue;
            values.Add(Unescape(raw[start..Math.Min(i, raw.Length)]));
            start = i + 1;
            if (i == raw.Length || raw[i] == ';')
            {
                components.Add(values);
                values = [];
            }
        }
        return components;
    }

    public static string JoinStructured(IEnumerable<IEnumerable<string>> components) =>
        string.Join(";", components.Select(values => string.Join(",", values.Select(Escape))));

    /// <summary>RFC 6868 §3: <c>^n</c> newline, <c>^^</c> caret, <c>^'</c> double quote; any other <c>^</c> stays.</summary>
    public static string DecodeParameterValue(string value)
    {
        if (!value.Contains('^', StringComparison.Ordinal))
            return value;
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '^' && i + 1 < value.Length && value[i + 1] is 'n' or 'N' or '^' or '\'')
            {
                var next = value[++i];
                builder.Append(next switch { '^' => '^', '\'' => '"', _ => '\n' });
            }
            else
                builder.Append(value[i]);
        }
        return builder.ToString();
    }

    /// <summary>A parameter value for the wire: RFC 6868 escapes where needed, quoted when it holds <c>, ; :</c>.</summary>
    public static string EncodeParameterValue(string value)
    {
        var encoded = value.AsSpan().IndexOfAny("^\"\r\n") < 0
            ? value
            : value.Replace("^", "^^", StringComparison.Ordinal).Replace("\"", "^'", StringComparison.Ordinal)
                .Replace("\r\n", "^n", StringComparison.Ordinal).Replace("\n", "^n", StringComparison.Ordinal).Replace("\r", "^n", StringComparison.Ordinal);
        return encoded.AsSpan().IndexOfAny(",;:") < 0 ? encoded : "\"" + encoded + "\"";
    }
}
