using System.Text;

namespace SyncServer.Protocols.Smtp;

/// <summary>
/// Step 3 of command parsing: the <c>*(SP esmtp-param)</c> after a MAIL or RCPT path (RFC 5321 §4.1.2),
/// typed for SIZE (RFC 1870), BODY (RFC 6152, RFC 3030), SMTPUTF8 (RFC 6531), AUTH (RFC 4954 §5) and
/// DSN's RET, ENVID, NOTIFY, ORCPT (RFC 3461 §4). Values are ASCII as RFC 5321 has them; DSN's and AUTH's
/// xtext is decoded here.
/// </summary>
internal static class SmtpParameterParser
{
    // RFC 3461 §4.4: an ENVID is at most 100 characters.
    private const int MaxEnvIdLength = 100;

    public static SmtpSyntaxError? TryParseMail(
        ReadOnlySpan<byte> text, SmtpAddress? reversePath, SmtpParserLimits limits, out MailFrom? command)
    {
        command = null;
        var error = Split(text, out var parameters);
        long? size = null;
        SmtpBodyType? body = null;
        DsnReturn? ret = null;
        string? envId = null, auth = null;
        var smtpUtf8 = false;
        var extensions = new List<SmtpParameter>();
        foreach (var (keyword, value) in parameters)
        {
            error ??= keyword switch
            {
                "SIZE" => Required(keyword, value) ?? ParseSize(value!, out size),
                "BODY" => Required(keyword, value) ?? ParseBody(value!, out body),
                "SMTPUTF8" => value is null ? Flag(out smtpUtf8) : Invalid(keyword),
                "RET" => Required(keyword, value) ?? ParseRet(value!, out ret),
                "ENVID" => Required(keyword, value) ?? ParseEnvId(value!, out envId),
                "AUTH" => Required(keyword, value) ?? ParseAuth(value!, out auth),
                _ => Extension(keyword, value, limits.AdditionalMailParameters, extensions),
            };
        }
        if (error is null && reversePath is { IsInternationalized: true } && !smtpUtf8)
            error = SmtpSyntaxError.NonAsciiWithoutSmtpUtf8;
        if (error is null)
            command = new MailFrom(reversePath, size, body, smtpUtf8, ret, envId, auth, extensions);
        return error;
    }

    public static SmtpSyntaxError? TryParseRcpt(
        ReadOnlySpan<byte> text, SmtpAddress forwardPath, SmtpParserLimits limits, out RcptTo? command)
    {
        command = null;
        var error = Split(text, out var parameters);
        DsnNotify? notify = null;
        OriginalRecipient? orcpt = null;
        var extensions = new List<SmtpParameter>();
        foreach (var (keyword, value) in parameters)
        {
            error ??= keyword switch
            {
                "NOTIFY" => Required(keyword, value) ?? ParseNotify(value!, out notify),
                "ORCPT" => Required(keyword, value) ?? ParseOrcpt(value!, out orcpt),
                _ => Extension(keyword, value, limits.AdditionalRcptParameters, extensions),
            };
        }
        if (error is null)
            command = new RcptTo(forwardPath, notify, orcpt, extensions);
        return error;
    }

    /// <summary>Digits only, at most <paramref name="maxDigits"/>, and no overflow of a long.</summary>
    public static bool TryParseDecimal(string? text, int maxDigits, out long value)
    {
        value = 0;
        if (string.IsNullOrEmpty(text) || text.Length > maxDigits)
            return false;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) || value > (long.MaxValue - (c - '0')) / 10)
                return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }

    /// <summary>RFC 3461 §4: xchar is ASCII 33–126 except "+" and "="; "+" HEX HEX stands for any octet.</summary>
    private static bool TryDecodeXtext(string text, out string decoded)
    {
        decoded = "";
        var octets = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '+' && i + 2 < text.Length && IsUpperHex(text[i + 1]) && IsUpperHex(text[i + 2]))
            {
                octets.Add(Convert.FromHexString(text.AsSpan(i + 1, 2))[0]);
                i += 2;
            }
            else if (c is >= '!' and <= '~' and not '+' and not '=')
            {
                octets.Add((byte)c);
            }
            else
            {
                return false;
            }
        }
        return TryDecodeUtf8(octets.ToArray(), out decoded);
    }

    // Tokens are separated by SP; runs of spaces and trailing spaces are tolerated because they are harmless.
    private static SmtpSyntaxError? Split(ReadOnlySpan<byte> text, out List<SmtpParameter> parameters)
    {
        parameters = [];
        if (text.Length > 0 && text[0] != ' ')
            return SmtpSyntaxError.Arguments("Parameters must be separated by a space");
        foreach (var range in text.Split((byte)' '))
        {
            var token = text[range];
            if (token.IsEmpty)
                continue;
            var equals = token.IndexOf((byte)'=');
            var keyword = equals < 0 ? token : token[..equals];
            var value = equals < 0 ? default : token[(equals + 1)..];
            if (!IsKeyword(keyword) || (equals >= 0 && !IsValue(value)))
                return SmtpSyntaxError.Arguments("Bad parameter syntax");
            var parameter = new SmtpParameter(
                Encoding.ASCII.GetString(keyword).ToUpperInvariant(),
                equals < 0 ? null : Encoding.ASCII.GetString(value));
            if (parameters.Exists(p => p.Keyword == parameter.Keyword))
                return SmtpSyntaxError.Arguments($"Duplicate parameter {parameter.Keyword}");
            parameters.Add(parameter);
        }
        return null;
    }

    private static SmtpSyntaxError? Extension(
        string keyword, string? value, IReadOnlySet<string> allowed, List<SmtpParameter> extensions)
    {
        if (!allowed.Contains(keyword))
            return SmtpSyntaxError.UnknownParameter(keyword);
        extensions.Add(new SmtpParameter(keyword, value));
        return null;
    }

    // RFC 1870: size-value = 1*20DIGIT; a value beyond a long is refused rather than wrapped.
    private static SmtpSyntaxError? ParseSize(string value, out long? size)
    {
        size = TryParseDecimal(value, 20, out var octets) ? octets : null;
        return size is null ? Invalid("SIZE") : null;
    }

    // RFC 3461 §4.4: printable US-ASCII, at most 100 characters once decoded.
    private static SmtpSyntaxError? ParseEnvId(string value, out string? envId)
    {
        envId = TryDecodeXtext(value, out var decoded) && decoded.Length <= MaxEnvIdLength
            && !decoded.AsSpan().ContainsAnyExceptInRange(' ', '~')
            ? decoded
            : null;
        return envId is null ? Invalid("ENVID") : null;
    }

    // RFC 4954 §5: AUTH=xtext of the authenticated sender's addr-spec, or "<>" when it is not to be trusted.
    private static SmtpSyntaxError? ParseAuth(string value, out string? auth)
    {
        auth = TryDecodeXtext(value, out var decoded) ? decoded : null;
        return auth is null ? Invalid("AUTH") : null;
    }

    private static SmtpSyntaxError? ParseBody(string value, out SmtpBodyType? body)
    {
        body = value.ToUpperInvariant() switch
        {
            "7BIT" => SmtpBodyType.SevenBit,
            "8BITMIME" => SmtpBodyType.EightBitMime,
            "BINARYMIME" => SmtpBodyType.BinaryMime,
            _ => null,
        };
        return body is null ? Invalid("BODY") : null;
    }

    private static SmtpSyntaxError? ParseRet(string value, out DsnReturn? ret)
    {
        ret = value.ToUpperInvariant() switch
        {
            "FULL" => DsnReturn.Full,
            "HDRS" => DsnReturn.Headers,
            _ => null,
        };
        return ret is null ? Invalid("RET") : null;
    }

    // NOTIFY="NEVER" / 1#( "SUCCESS" / "FAILURE" / "DELAY" ) — RFC 3461 §4.1.
    private static SmtpSyntaxError? ParseNotify(string value, out DsnNotify? notify)
    {
        notify = null;
        DsnNotify flags = 0;
        foreach (var item in value.ToUpperInvariant().Split(','))
        {
            DsnNotify? flag = item switch
            {
                "NEVER" => DsnNotify.Never,
                "SUCCESS" => DsnNotify.Success,
                "FAILURE" => DsnNotify.Failure,
                "DELAY" => DsnNotify.Delay,
                _ => null,
            };
            if (flag is null || (flags & flag) != 0)
                return Invalid("NOTIFY");
            flags |= flag.Value;
        }
        if (flags.HasFlag(DsnNotify.Never) && flags != DsnNotify.Never)
            return Invalid("NOTIFY");
        notify = flags;
        return null;
    }

    // ORCPT=addr-type ";" xtext — RFC 3461 §4.2. For addr-type utf-8 (RFC 6533) the decoded text still holds
    // its \x{..} escapes: the DSN writer copies it back as is.
    private static SmtpSyntaxError? ParseOrcpt(string value, out OriginalRecipient? orcpt)
    {
        orcpt = null;
        var semicolon = value.IndexOf(';');
        if (semicolon <= 0 || !IsKeyword(Encoding.ASCII.GetBytes(value[..semicolon]))
            || !TryDecodeXtext(value[(semicolon + 1)..], out var address) || address.Length == 0)
            return Invalid("ORCPT");
        orcpt = new OriginalRecipient(value[..semicolon], address);
        return null;
    }

    private static SmtpSyntaxError? Required(string keyword, string? value) =>
        value is null ? SmtpSyntaxError.Arguments($"{keyword} needs a value") : null;

    private static SmtpSyntaxError Invalid(string keyword) => SmtpSyntaxError.Arguments($"Bad {keyword} value");

    private static SmtpSyntaxError? Flag(out bool flag)
    {
        flag = true;
        return null;
    }

    private static bool TryDecodeUtf8(byte[] octets, out string text)
    {
        text = "";
        if (!System.Text.Unicode.Utf8.IsValid(octets))
            return false;
        text = Encoding.UTF8.GetString(octets);
        return true;
    }

    private static bool IsUpperHex(char c) => char.IsAsciiDigit(c) || c is >= 'A' and <= 'F';

    // esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-"); also RFC 3461's addr-type, which is an atom.
    private static bool IsKeyword(ReadOnlySpan<byte> text) =>
        text.Length > 0 && char.IsAsciiLetterOrDigit((char)text[0])
        && text.IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"u8) < 0;

    // esmtp-value = 1*(%d33-60 / %d62-126)
    private static bool IsValue(ReadOnlySpan<byte> text) =>
        text.Length > 0 && text.IndexOfAnyExceptInRange((byte)33, (byte)126) < 0 && !text.Contains((byte)'=');
}
