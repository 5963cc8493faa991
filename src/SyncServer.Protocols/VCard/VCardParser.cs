using System.Text;
using System.Text.Unicode;

namespace SyncServer.Protocols.VCard;

/// <summary>
/// Reads one vCard (RFC 6350 §3, RFC 2426 §4, and what vCard 2.1 phones send). Pure and total: any input gives
/// either a card or an error message, never an exception. Tolerated: bare LF or CR line breaks, folding by space
/// or tab, quoted-printable soft line breaks (<c>=</c> at the end of a line), blank lines, a UTF-8 byte order mark,
/// names in any case, 2.1 bare parameters. Refused: no BEGIN:VCARD first, no END:VCARD, a second card or text after
/// END, a line without a colon, a NUL character, and anything over <see cref="VCardParseOptions"/>.
/// </summary>
public static class VCardParser
{
    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says what and where.</summary>
    public static bool TryParse(string text, VCardParseOptions limits, out VCard card, out string error)
    {
        card = null!;
        if (text.Length > limits.MaxSize)
        {
            error = $"vCard is larger than {limits.MaxSize} characters";
            return false;
        }
        var nul = text.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            error = $"vCard contains a NUL character at offset {nul}";
            return false;
        }
        var parsed = new Reader(text, limits).Read(out error);
        if (parsed is null)
            return false;
        card = parsed;
        return true;
    }

    /// <summary>Parses UTF-8 bytes (what a client PUTs); bytes that are not UTF-8 are an error.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, VCardParseOptions limits, out VCard card, out string error)
    {
        card = null!;
        if (utf8.Length > limits.MaxSize)
        {
            error = $"vCard is larger than {limits.MaxSize} octets";
            return false;
        }
        if (!Utf8.IsValid(utf8))
        {
            // RFC 6350 §3.2: simple writers fold inside a multi-octet sequence; unfold those folds to restore it.
            var repaired = JoinSplitSequences(utf8);
            if (!Utf8.IsValid(repaired))
            {
                error = "vCard is not valid UTF-8";
                return false;
            }
            return TryParse(Encoding.UTF8.GetString(repaired), limits, out card, out error);
        }
        return TryParse(Encoding.UTF8.GetString(utf8), limits, out card, out error);
    }

    /// <summary>
    /// The bytes without the folds (CRLF or LF, then a space or tab) that are followed by a UTF-8 continuation
    /// byte: no line can start with one, so such a fold split a character.
    /// </summary>
    private static byte[] JoinSplitSequences(ReadOnlySpan<byte> utf8)
    {
        var result = new List<byte>(utf8.Length);
        for (var i = 0; i < utf8.Length; i++)
        {
            var foldLength = utf8[i] == '\r' && i + 1 < utf8.Length && utf8[i + 1] == '\n' ? 3 : utf8[i] == '\n' ? 2 : 0;
            if (foldLength > 0 && i + foldLength < utf8.Length && utf8[i + foldLength - 1] is (byte)' ' or (byte)'\t'
                && (utf8[i + foldLength] & 0xC0) == 0x80)
            {
                i += foldLength - 1;
                continue;
            }
            result.Add(utf8[i]);
        }
        return [.. result];
    }

    /// <summary>One pass over the physical lines of the text.</summary>
    private sealed class Reader(string text, VCardParseOptions limits)
    {
        private int _position;
        private int _lineNumber;

        public VCard? Read(out string error)
        {
            // Blank lines (and a byte order mark) before BEGIN belong to the BEGIN text.
            string? first;
            do
                first = NextLine(out _);
            while (first is not null && IsBlank(first));
            if (first is null || !IsLine(first.TrimStart('\uFEFF'), "BEGIN:VCARD"))
            {
                error = first is null ? "empty vCard" : $"line {_lineNumber}: a vCard starts with BEGIN:VCARD";
                return null;
            }
            var beginText = text[.._position];
            var properties = new List<VCardProperty>();
            while (true)
            {
                var start = _position;
                var startLine = _lineNumber + 1;
                var logical = ReadLogicalLine(out error);
                if (logical is null)
                    return null;
                if (logical.Length == 0)
                {
                    error = "missing END:VCARD";
                    return null;
                }
                if (IsLine(logical.ToString(), "END:VCARD"))
                {
                    var endText = text[start..];
                    if (!IsBlank(text.AsSpan(_position)))
                    {
                        error = $"line {_lineNumber + 1}: text after END:VCARD (one vCard per resource)";
                        return null;
                    }
                    return new VCard(properties, beginText, endText);
                }
                if (IsLine(logical.ToString(), "BEGIN:VCARD"))
                {
                    error = $"line {startLine}: BEGIN:VCARD inside a vCard";
                    return null;
                }
                if (properties.Count >= limits.MaxProperties)
                {
                    error = $"vCard has more than {limits.MaxProperties} properties";
                    return null;
                }
                SkipBlankLines();
                var property = VCardContentLine.Parse(logical.ToString(), text[start.._position], out var lineError);
                if (property is null)
                {
                    error = $"line {startLine}: {lineError}";
                    return null;
                }
                properties.Add(property);
            }
        }

        /// <summary>
        /// The next logical line, unfolded; an empty builder at the end of the text; null (with an error) when the
        /// line is over the limit. Quoted-printable soft breaks are joined without their <c>=</c>.
        /// </summary>
        private StringBuilder? ReadLogicalLine(out string error)
        {
            error = "";
            var builder = new StringBuilder();
            string? line;
            do
                line = NextLine(out _);
            while (line is not null && line.Length == 0);
            if (line is null)
                return builder;
            builder.Append(line);
            var quotedPrintable = IsQuotedPrintable(line);
            while (_position < text.Length)
            {
                var next = text[_position];
                if (next is ' ' or '\t')
                {
                    quotedPrintable |= IsQuotedPrintable(builder.ToString());
                    builder.Append(NextLine(out _).AsSpan(1));
                }
                else if (quotedPrintable && builder.Length > 0 && builder[^1] == '=' && !IsBlankLineAt(_position))
                {
                    builder.Length--;
                    builder.Append(NextLine(out _));
                }
                else
                    break;
                if (builder.Length > limits.MaxLineLength)
                    break;
            }
            if (builder.Length > limits.MaxLineLength)
            {
                error = $"line {_lineNumber}: content line longer than {limits.MaxLineLength} characters";
                return null;
            }
            return builder;
        }

        private void SkipBlankLines()
        {
            while (_position < text.Length && IsBlankLineAt(_position))
                NextLine(out _);
        }

        private bool IsBlankLineAt(int position)
        {
            for (var i = position; i < text.Length; i++)
            {
                if (text[i] is '\r' or '\n')
                    return true;
                if (text[i] is not (' ' or '\t'))
                    return false;
            }
            return true;
        }

        /// <summary>The next physical line without its break (CRLF, LF or CR), or null at the end.</summary>
        private string? NextLine(out int breakLength)
        {
            breakLength = 0;
            if (_position >= text.Length)
                return null;
            var start = _position;
            var end = text.AsSpan(start).IndexOfAny('\r', '\n');
            if (end < 0)
            {
                _position = text.Length;
            }
            else
            {
                end += start;
                breakLength = text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n' ? 2 : 1;
                _position = end + breakLength;
            }
            _lineNumber++;
            return text[start..(end < 0 ? text.Length : end)];
        }

        private static bool IsQuotedPrintable(string line)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 && line.AsSpan(0, colon).Contains("QUOTED-PRINTABLE", StringComparison.OrdinalIgnoreCase);
        }

        private static bool IsLine(string line, string expected) =>
            line.AsSpan().Trim(" \t").Equals(expected, StringComparison.OrdinalIgnoreCase);

        private static bool IsBlank(ReadOnlySpan<char> span) => span.TrimStart(" \t\r\n\uFEFF").IsEmpty;
    }
}
