using System.Text;

namespace SyncServer.Protocols.VCard;

/// <summary>
/// Writes a vCard. A property read by <see cref="VCardParser"/> and not changed since is written from its
/// <see cref="VCardProperty.OriginalText"/> (its own folding and line breaks), so an unchanged card comes back
/// byte for byte. Any other line is written with CRLF and folded at 75 octets (RFC 6350 §3.2), never inside
/// a UTF-8 sequence or a surrogate pair.
/// </summary>
public static class VCardWriter
{
    /// <summary>The longest physical line in octets, line break excluded (RFC 6350 §3.2, RFC 2425 §5.8.1).</summary>
    public const int FoldAt = 75;

    /// <summary>The card as text.</summary>
    public static string Write(VCard card)
    {
        var builder = new StringBuilder(card.BeginText);
        foreach (var property in card.Properties)
        {
            if (property.OriginalText is { } original)
                builder.Append(original);
            else
                AppendFolded(builder, FormatLine(property));
        }
        return builder.Append(card.EndText).ToString();
    }

    /// <summary>One unfolded content line without a line break: <c>group.NAME;PARAM=value:raw value</c>.</summary>
    public static string FormatLine(VCardProperty property)
    {
        var builder = new StringBuilder();
        if (property.Group is not null)
            builder.Append(property.Group).Append('.');
        builder.Append(property.Name);
        foreach (var parameter in property.Parameters)
        {
            builder.Append(';').Append(parameter.Name);
            if (parameter.Values.Count > 0)
                builder.Append('=').AppendJoin(',', parameter.Values.Select(VCardEscaping.EncodeParameterValue));
        }
        return builder.Append(':').Append(property.RawValue).ToString();
    }

    /// <summary>Appends <paramref name="line"/> folded into physical lines of at most <see cref="FoldAt"/> octets, each ended by CRLF.</summary>
    public static void AppendFolded(StringBuilder builder, string line)
    {
        var octets = 0;
        for (var i = 0; i < line.Length;)
        {
            var length = char.IsHighSurrogate(line[i]) && i + 1 < line.Length && char.IsLowSurrogate(line[i + 1]) ? 2 : 1;
            var size = length == 2 ? 4 : Encoding.UTF8.GetByteCount(line.AsSpan(i, 1));
            if (octets + size > FoldAt)
            {
                builder.Append("\r\n ");
                octets = 1;
            }
            builder.Append(line, i, length);
            octets += size;
            i += length;
        }
        builder.Append("\r\n");
    }
}
