using System.Text;

namespace SyncServer.Protocols.Http;

/// <summary>
/// HTTP Basic credentials (RFC 7617) as mail and calendar clients send them. Phones send UTF-8, Outlook sends
/// ISO-8859-1 (client-requirements EAS-HTTP-08): bytes that are not valid UTF-8 are read as Latin-1. A
/// <c>DOMAIN\user</c> login keeps only the user part.
/// </summary>
public sealed record BasicCredentials(string UserName, string Password)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads an <c>Authorization</c> header value; null when it is absent, not Basic, or malformed.</summary>
    public static BasicCredentials? Parse(string? authorization)
    {
        const string scheme = "Basic ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return null;
        var encoded = authorization.AsSpan(scheme.Length).Trim();
        var bytes = new byte[encoded.Length];
        if (!Convert.TryFromBase64Chars(encoded, bytes, out var length))
            return null;
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            text = Encoding.Latin1.GetString(bytes, 0, length);
        }
        var colon = text.IndexOf(':');
        if (colon <= 0)
            return null;
        var user = text[..colon];
        var backslash = user.LastIndexOf('\\');
        return new BasicCredentials(backslash >= 0 ? user[(backslash + 1)..] : user, text[(colon + 1)..]);
    }

    public override string ToString() => $"BasicCredentials {{ UserName = {UserName} }}";
}
