using System.Buffers;
using System.Globalization;
using System.Text;
using SyncServer.Protocols.Common;

namespace SyncServer.Protocols.Pop3;

/// <summary>
/// Incremental parser of POP3 command lines (RFC 1939 §3: a keyword, then arguments separated by single spaces).
/// Pure: it reads only what it is given and keeps its cross-read state in the caller's <see cref="LineState"/>.
/// Every bad line, overlong ones included, is consumed and yields exactly one error, so pipelined commands
/// (RFC 2449 §6.6) after it keep their responses in order.
/// </summary>
public static class Pop3CommandParser
{
    private static readonly Dictionary<string, Pop3Command> NoArgument = new(StringComparer.Ordinal)
    {
        ["CAPA"] = new Capa(), ["STLS"] = new Stls(), ["STAT"] = new Stat(),
        ["RSET"] = new Rset(), ["NOOP"] = new Noop(), ["QUIT"] = new Quit(),
    };

    /// <summary>
    /// False: no complete line yet (read more, then call again). True: one line consumed, and exactly one of
    /// <paramref name="command"/> and <paramref name="error"/> is set.
    /// </summary>
    public static bool TryParse(
        ref SequenceReader<byte> reader, Pop3ParserLimits limits, ref LineState state,
        out Pop3Command? command, out Pop3SyntaxError? error)
    {
        command = null;
        error = null;
        if (!LineFraming.TryReadLine(ref reader, limits.MaxCommandLineLength, limits.AllowBareLineFeed, ref state, out var line, out var framing))
            return false;
        error = framing switch
        {
            LineError.TooLong => Pop3SyntaxError.LineTooLong,
            LineError.BareLineFeed => Pop3SyntaxError.BareLineFeed,
            _ => Parse(Encoding.UTF8.GetString(line), out command),
        };
        return true;
    }

    private static Pop3SyntaxError? Parse(string line, out Pop3Command? command)
    {
        command = null;
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var keyword = (space < 0 ? line : line[..space]).ToUpperInvariant();
        // PASS keeps its argument exactly (spaces included); the others tolerate trailing blanks.
        var argument = space < 0 ? "" : line[(space + 1)..];
        var arguments = argument.TrimEnd(' ', '\t').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        command = keyword switch
        {
            _ when NoArgument.TryGetValue(keyword, out var bare) => arguments.Length == 0 ? bare : null,
            "USER" when arguments.Length == 1 => new User(arguments[0]),
            "PASS" when argument.Length > 0 => new Pass(argument),
            "AUTH" when arguments.Length is 1 or 2 => new Auth(arguments[0].ToUpperInvariant(), arguments.Length == 2 ? arguments[1] : null),
            "LIST" when OptionalNumber(arguments, out var n) => new List(n),
            "UIDL" when OptionalNumber(arguments, out var n) => new Uidl(n),
            "RETR" when arguments.Length == 1 && Number(arguments[0]) is { } n => new Retr(n),
            "DELE" when arguments.Length == 1 && Number(arguments[0]) is { } n => new Dele(n),
            // Lines are a count, so 0 (headers only) is valid where a message number is not.
            "TOP" when arguments.Length == 2 && Number(arguments[0]) is { } n && Count(arguments[1]) is { } lines => new Top(n, lines),
            _ => null,
        };
        return command is not null ? null : keyword switch
        {
            _ when NoArgument.ContainsKey(keyword) => Pop3SyntaxError.Arguments(keyword),
            "USER" => Pop3SyntaxError.Arguments("USER name"),
            "PASS" => Pop3SyntaxError.Arguments("PASS password"),
            "AUTH" => Pop3SyntaxError.Arguments("AUTH mechanism [initial-response]"),
            "LIST" or "UIDL" => Pop3SyntaxError.Arguments(keyword + " [msg]"),
            "RETR" or "DELE" => Pop3SyntaxError.Arguments(keyword + " msg"),
            "TOP" => Pop3SyntaxError.Arguments("TOP msg n"),
            _ => Pop3SyntaxError.UnknownCommand,
        };
    }

    private static bool OptionalNumber(string[] arguments, out int? number)
    {
        number = arguments.Length == 1 ? Number(arguments[0]) : null;
        return arguments.Length == 0 || number is not null;
    }

    /// <summary>A message number: RFC 1939 §3 numbers messages from 1.</summary>
    private static int? Number(string text) => Count(text) is > 0 and var n ? n : null;

    /// <summary>A non-negative decimal: digits only, no sign or blanks (int.TryParse alone accepts trailing NULs).</summary>
    private static int? Count(string text) =>
        text.Length is > 0 and <= 10 && text.All(char.IsAsciiDigit) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
