using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace SyncServer.Protocols.Imap;

/// <summary>
/// Step 2: the tokens of RFC 9051 §9 (atoms, numbers, strings, literals, dates) over one complete, framed
/// command. A grammar rule that does not match throws <see cref="ImapParseException"/>, which the dispatcher
/// turns into the command's BAD: the whole command is abandoned at its first error, and unwinding the
/// recursive descent this way keeps ~100 rules free of error plumbing. The exception never leaves the parser.
/// </summary>
internal ref partial struct ImapSyntaxReader(ReadOnlySpan<byte> input, ImapParserLimits limits)
{
    // ATOM-CHAR: CHAR minus atom-specials "(" ")" "{" SP CTL "%" "*" DQUOTE "\" "]".
    private static readonly SearchValues<byte> AtomChars = SearchValues.Create(
        "!#$&'+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[^_`abcdefghijklmnopqrstuvwxyz|}~"u8);
    private static readonly SearchValues<byte> AStringChars = SearchValues.Create(
        "!#$&'+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz|}~"u8);
    // list-char adds the LIST wildcards "%" and "*" to ASTRING-CHAR.
    private static readonly SearchValues<byte> ListChars = SearchValues.Create(
        "!#$%&'*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz|}~"u8);
    private static readonly SearchValues<byte> Digits = SearchValues.Create("0123456789"u8);

    private readonly ReadOnlySpan<byte> _input = input;
    private int _position;
    private int _depth;

    public readonly ImapParserLimits Limits = limits;

    public readonly bool AtEnd => _input[_position..].SequenceEqual("\r\n"u8);

    public readonly int Peek() => _position < _input.Length ? _input[_position] : -1;

    public void ExpectEnd()
    {
        if (!AtEnd)
            throw Fail(_input[_position..].EndsWith("\n"u8) && !_input.EndsWith("\r\n"u8)
                ? "Command line must end with CRLF" : "Unexpected text at end of command");
    }

    public bool TryConsume(byte b)
    {
        if (Peek() != b)
            return false;
        _position++;
        return true;
    }

    public void Expect(byte b)
    {
        if (!TryConsume(b))
            throw Fail($"Expected '{(char)b}'");
    }

    public void Space() => Expect((byte)' ');

    public bool TrySpace() => TryConsume((byte)' ');

    /// <summary>Consumes <paramref name="keyword"/> (any case) if it is the next whole atom.</summary>
    public bool TryKeyword(ReadOnlySpan<byte> keyword)
    {
        var rest = _input[_position..];
        if (rest.Length < keyword.Length || !Ascii.EqualsIgnoreCase(rest[..keyword.Length], keyword)
            || (rest.Length > keyword.Length && AtomChars.Contains(rest[keyword.Length])))
            return false;
        _position += keyword.Length;
        return true;
    }

    public void ExpectKeyword(ReadOnlySpan<byte> keyword)
    {
        if (!TryKeyword(keyword))
            throw Fail($"Expected {Encoding.ASCII.GetString(keyword)}");
    }

    public ReadOnlySpan<byte> Atom() => Take(AtomChars, "Expected atom");

    /// <summary>An atom upper-cased, for comparing with the grammar's keywords.</summary>
    public string Keyword() => Encoding.ASCII.GetString(Atom()).ToUpperInvariant();

    public ReadOnlySpan<byte> Take(SearchValues<byte> chars, string expected)
    {
        var rest = _input[_position..];
        var length = rest.IndexOfAnyExcept(chars);
        if (length < 0)
            length = rest.Length;
        if (length == 0)
            throw Fail(expected);
        _position += length;
        return rest[..length];
    }

    public uint Number() => checked((uint)ParseDigits(10, uint.MaxValue, "Expected number"));

    public uint NzNumber()
    {
        var number = Number();
        return number != 0 ? number : throw Fail("Expected non-zero number");
    }

    /// <summary>number64: up to 2^63 - 1 (RFC 9051 §9).</summary>
    public ulong Number64() => ParseDigits(19, long.MaxValue, "Expected number");

    private ulong ParseDigits(int maxDigits, ulong max, string expected)
    {
        var digits = Take(Digits, expected);
        if (digits.Length > maxDigits || !Utf8Parser.TryParse(digits, out ulong value, out _) || value > max)
            throw Fail("Number out of range");
        return value;
    }

    /// <summary>astring: an atom (where "]" is allowed) or a string.</summary>
    public string AString() => IsStringStart() ? String() : Encoding.ASCII.GetString(Take(AStringChars, "Expected string"));

    /// <summary>list-mailbox: like astring, and the wildcards "%" and "*" may appear unquoted.</summary>
    public string ListMailbox() => IsStringStart() ? String() : Encoding.ASCII.GetString(Take(ListChars, "Expected mailbox pattern"));

    public string? NString() => TryKeyword("NIL"u8) ? null : String();

    /// <summary>A quoted string or literal as text. 8-bit text must be UTF-8 (RFC 6855 §3 for UTF8=ACCEPT;
    /// rev1 clients that send it mean UTF-8 too, since nothing else is declared).</summary>
    public string String() => Text(StringOctets(allowBinary: false));

    public static string Text(ReadOnlySpan<byte> octets)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(octets);
        }
        catch (DecoderFallbackException)
        {
            throw Fail("String is not valid UTF-8");
        }
    }

    /// <summary>Quoted string or literal octets; <c>~{n}</c> literal8 only where the grammar has it (RFC 3516).</summary>
    public ReadOnlySpan<byte> StringOctets(bool allowBinary)
    {
        if (Peek() == '"')
            return Quoted();
        var binary = allowBinary && TryConsume((byte)'~');
        if (!TryConsume((byte)'{'))
            throw Fail(binary ? "Expected literal8" : "Expected string");
        var size = Number64();
        TryConsume((byte)'+');
        Expect((byte)'}');
        if (!_input[_position..].StartsWith("\r\n"u8))
            throw Fail("Literal announcement must end the line");
        _position += 2;
        if ((ulong)(_input.Length - _position) < size)
            throw Fail("Literal shorter than announced");
        var octets = _input.Slice(_position, (int)size);
        _position += (int)size;
        // RFC 9051 §4.3: a literal (not literal8) cannot contain NUL.
        if (!binary && octets.Contains((byte)0))
            throw Fail("NUL in literal; use literal8");
        return octets;
    }

    private readonly bool IsStringStart() => Peek() is '"' or '{';

    private ReadOnlySpan<byte> Quoted()
    {
        Expect((byte)'"');
        var start = _position;
        var escapes = 0;
        while (Peek() is var c and not '"')
        {
            if (c is -1 or '\r' or '\n' or 0)
                throw Fail("Unterminated quoted string");
            if (c == '\\')
            {
                _position++;
                if (Peek() is not ('\\' or '"'))
                    throw Fail("Only \\\\ and \\\" may be escaped in a quoted string");
                escapes++;
            }
            _position++;
        }
        var raw = _input[start.._position];
        _position++;
        if (escapes == 0)
            return raw;
        var unescaped = new byte[raw.Length - escapes];
        for (int i = 0, j = 0; i < raw.Length; i++, j++)
            unescaped[j] = raw[i] == '\\' ? raw[++i] : raw[i];
        return unescaped;
    }

    /// <summary>Nesting guard for parenthesised lists and NOT/OR (<see cref="ImapParserLimits.MaxNestingDepth"/>).</summary>
    public void Enter()
    {
        if (++_depth > Limits.MaxNestingDepth)
            throw Fail("Too deeply nested");
    }

    public void Leave() => _depth--;

    public static ImapParseException Fail(string message) => new(message);
}

internal sealed class ImapParseException(string message) : Exception(message);

/// <summary>The tag of a command, read before the command is parsed so that even a refused one can be answered.</summary>
internal static class ImapTag
{
    // tag = 1*<any ASTRING-CHAR except "+">
    private static readonly SearchValues<byte> TagChars = SearchValues.Create(
        "!#$&',-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz|}~"u8);

    private const int MaxLength = 64;

    public static string? Peek(ReadOnlySequence<byte> input)
    {
        var head = input.Slice(0, Math.Min(input.Length, MaxLength + 1)).ToArray().AsSpan();
        var length = head.IndexOfAnyExcept(TagChars);
        return length is > 0 and <= MaxLength && head[length] == ' ' ? Encoding.ASCII.GetString(head[..length]) : null;
    }

    public static string Read(ref ImapSyntaxReader reader)
    {
        var tag = reader.Take(TagChars, "Missing tag");
        return tag.Length <= MaxLength ? Encoding.ASCII.GetString(tag) : throw ImapSyntaxReader.Fail("Tag too long");
    }
}
