using System.Buffers;
using System.Text;
using System.Text.Unicode;
using SyncServer.Protocols.Common;

namespace SyncServer.Protocols.Smtp;

/// <summary>
/// Incremental parser of SMTP command lines (RFC 5321 §4.1). Pure: it reads only what it is given and keeps its
/// one bit of cross-read state in the caller's <see cref="LineState"/>.
/// </summary>
/// <remarks>
/// The session loop:
/// <code>
/// var reader = new SequenceReader&lt;byte&gt;(buffer);
/// while (SmtpCommandParser.TryParse(ref reader, limits, ref lineState, out var command, out var error))
///     reply(error?.ToReply() ?? await handle(command!));  // DATA/BDAT: switch to the body reader here
/// input.AdvanceTo(reader.Position, buffer.End);
/// </code>
/// Every bad line, overlong ones included, is consumed and yields exactly one error, so pipelined commands
/// after it keep their replies in order.
/// </remarks>
public static class SmtpCommandParser
{
    /// <summary>
    /// False: no complete line yet (read more, then call again). True: one line consumed, and exactly one of
    /// <paramref name="command"/> and <paramref name="error"/> is set.
    /// </summary>
    public static bool TryParse(
        ref SequenceReader<byte> reader, SmtpParserLimits limits, ref LineState state,
        out SmtpCommand? command, out SmtpSyntaxError? error)
    {
        command = null;
        error = null;
        if (!LineFraming.TryReadLine(ref reader, limits.MaxCommandLineLength, limits.AllowBareLineFeed, ref state, out var line, out var framing))
            return false;
        error = framing switch
        {
            LineError.TooLong => SmtpSyntaxError.LineTooLong,
            LineError.BareLineFeed => SmtpSyntaxError.BareLineFeed,
            _ => Parse(line.IsSingleSegment ? line.FirstSpan : line.ToArray(), limits, out command),
        };
        return true;
    }

    private static SmtpSyntaxError? Parse(ReadOnlySpan<byte> line, SmtpParserLimits limits, out SmtpCommand? command)
    {
        command = null;
        // Trailing blanks are outside the grammar but common and harmless, so they are dropped.
        line = line.TrimEnd(" \t"u8);
        var space = line.IndexOf((byte)' ');
        var verb = space < 0 ? line : line[..space];
        var argument = space < 0 ? ReadOnlySpan<byte>.Empty : line[(space + 1)..];
        if (verb.Length is 0 or > 8 || !Ascii.IsValid(verb))
            return SmtpSyntaxError.UnknownCommand;

        var name = Encoding.ASCII.GetString(verb).ToUpperInvariant();
        return name switch
        {
            "EHLO" => ParseHello(argument, name, out command),
            "HELO" => ParseHello(argument, name, out command),
            "MAIL" => ParseMail(argument, limits, out command),
            "RCPT" => ParseRcpt(argument, limits, out command),
            "DATA" => NoArgument(argument, new Data(), name, out command),
            "BDAT" => ParseBdat(argument, out command),
            "RSET" => NoArgument(argument, new Rset(), name, out command),
            "QUIT" => NoArgument(argument, new Quit(), name, out command),
            "STARTTLS" => NoArgument(argument, new StartTls(), name, out command),
            "NOOP" => Parsed(new Noop(), out command), // RFC 5321 §4.1.1.9: its argument is ignored
            "HELP" => ParseText(argument, out var topic) ?? Parsed(new Help(topic.Length == 0 ? null : topic), out command),
            "VRFY" => ParseVrfy(argument, out command),
            "AUTH" => ParseAuth(argument, out command),
            _ => SmtpSyntaxError.UnknownCommand,
        };
    }

    private static SmtpSyntaxError? ParseHello(ReadOnlySpan<byte> argument, string verb, out SmtpCommand? command)
    {
        command = null;
        if (argument.IsEmpty || SmtpPathParser.ParseDomainOrAddressLiteral(argument) != argument.Length)
            return SmtpSyntaxError.Arguments($"Syntax: {verb} domain-or-address-literal");
        var domain = Encoding.UTF8.GetString(argument);
        return Parsed(verb == "EHLO" ? new Ehlo(domain) : new Helo(domain), out command);
    }

    private static SmtpSyntaxError? ParseMail(ReadOnlySpan<byte> argument, SmtpParserLimits limits, out SmtpCommand? command)
    {
        command = null;
        if (!TryStripPrefix(ref argument, "FROM:"u8, limits))
            return SmtpSyntaxError.Arguments("Syntax: MAIL FROM:<address>");
        if (SmtpPathParser.TryParse(argument, SmtpPathKind.Reverse, out var path, out var length) is { } error)
            return error;
        error = SmtpParameterParser.TryParseMail(argument[length..], path, limits, out var mail);
        command = mail;
        return error;
    }

    private static SmtpSyntaxError? ParseRcpt(ReadOnlySpan<byte> argument, SmtpParserLimits limits, out SmtpCommand? command)
    {
        command = null;
        if (!TryStripPrefix(ref argument, "TO:"u8, limits))
            return SmtpSyntaxError.Arguments("Syntax: RCPT TO:<address>");
        if (SmtpPathParser.TryParse(argument, SmtpPathKind.Forward, out var path, out var length) is { } error)
            return error;
        error = SmtpParameterParser.TryParseRcpt(argument[length..], path!, limits, out var rcpt);
        command = rcpt;
        return error;
    }

    // bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ], end-marker = "LAST" (RFC 3030 §2).
    private static SmtpSyntaxError? ParseBdat(ReadOnlySpan<byte> argument, out SmtpCommand? command)
    {
        command = null;
        var space = argument.IndexOf((byte)' ');
        var size = space < 0 ? argument : argument[..space];
        var marker = space < 0 ? ReadOnlySpan<byte>.Empty : argument[(space + 1)..];
        var last = Ascii.EqualsIgnoreCase(marker, "LAST"u8);
        if (!SmtpParameterParser.TryParseDecimal(Encoding.ASCII.GetString(size), 19, out var octets)
            || (space >= 0 && !last))
            return SmtpSyntaxError.Arguments("Syntax: BDAT chunk-size [LAST]");
        return Parsed(new Bdat(octets, last), out command);
    }

    private static SmtpSyntaxError? ParseVrfy(ReadOnlySpan<byte> argument, out SmtpCommand? command)
    {
        command = null;
        if (argument.IsEmpty)
            return SmtpSyntaxError.Arguments("Syntax: VRFY string");
        return ParseText(argument, out var text) ?? Parsed(new Vrfy(text), out command);
    }

    // auth-command = "AUTH" SP sasl-mech [SP initial-response] (RFC 4954 §4); sasl-mech per RFC 4422 §3.1.
    private static SmtpSyntaxError? ParseAuth(ReadOnlySpan<byte> argument, out SmtpCommand? command)
    {
        command = null;
        var space = argument.IndexOf((byte)' ');
        var mechanism = space < 0 ? argument : argument[..space];
        var response = space < 0 ? ReadOnlySpan<byte>.Empty : argument[(space + 1)..];
        var validMechanism = mechanism.Length is > 0 and <= 20
            && mechanism.IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"u8) < 0;
        var validResponse = space < 0 || response.SequenceEqual("="u8) || IsBase64(response);
        if (!validMechanism || !validResponse)
            return SmtpSyntaxError.Arguments("Syntax: AUTH mechanism [initial-response]");
        return Parsed(
            new Auth(Encoding.ASCII.GetString(mechanism).ToUpperInvariant(), space < 0 ? null : Encoding.ASCII.GetString(response)),
            out command);
    }

    private static SmtpSyntaxError? NoArgument(ReadOnlySpan<byte> argument, SmtpCommand parsed, string verb, out SmtpCommand? command)
    {
        command = null;
        return argument.IsEmpty ? Parsed(parsed, out command) : SmtpSyntaxError.Arguments($"Syntax: {verb}");
    }

    private static SmtpSyntaxError? Parsed(SmtpCommand parsed, out SmtpCommand? command)
    {
        command = parsed;
        return null;
    }

    // VRFY and HELP take free text, which may be UTF-8 under SMTPUTF8 (RFC 6531 §3.7.4).
    private static SmtpSyntaxError? ParseText(ReadOnlySpan<byte> argument, out string text)
    {
        var valid = Utf8.IsValid(argument);
        text = valid ? Encoding.UTF8.GetString(argument) : "";
        return valid ? null : SmtpSyntaxError.Arguments("Argument is not valid UTF-8");
    }

    private static bool TryStripPrefix(ref ReadOnlySpan<byte> argument, ReadOnlySpan<byte> prefix, SmtpParserLimits limits)
    {
        if (argument.Length < prefix.Length || !Ascii.EqualsIgnoreCase(argument[..prefix.Length], prefix))
            return false;
        argument = argument[prefix.Length..];
        if (limits.AllowSpaceAfterColon)
            argument = argument.TrimStart((byte)' ');
        return true;
    }

    // Base64.IsValid skips white space, which has no place in an initial response.
    private static bool IsBase64(ReadOnlySpan<byte> text) =>
        text.IndexOfAny(" \t"u8) < 0 && System.Buffers.Text.Base64.IsValid(text);
}
