using System.Globalization;

namespace SyncServer.Protocols.Filters;

/// <summary>
/// spamd's answer to a SPAMC/1.5 <c>SYMBOLS</c> request (spamd(1p); "PROTOCOL" in the SpamAssassin sources):
/// <c>SPAMD/1.1 0 EX_OK</c>, header lines up to an empty line, one of them <c>Spam: True|False ; score / threshold</c>,
/// then the names of the matched rules separated by commas.
/// </summary>
public static class SpamcProtocol
{
    /// <summary>The request line and headers that precede the message octets.</summary>
    public static string SymbolsRequest(long contentLength)
        => string.Create(CultureInfo.InvariantCulture, $"SYMBOLS SPAMC/1.5\r\nContent-length: {contentLength}\r\n\r\n");

    /// <summary>False for any other shape, or a status other than 0 (<c>EX_OK</c>).</summary>
    public static bool TryParse(string reply, out double score, out IReadOnlyList<string> symbols)
    {
        score = 0;
        symbols = [];
        var split = reply.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var lines = (split < 0 ? reply : reply[..split]).Split("\r\n");
        var status = lines[0].Split(' ', 3);
        if (status.Length < 2 || !status[0].StartsWith("SPAMD/", StringComparison.Ordinal) || status[1] != "0")
            return false;
        var spam = lines.Skip(1).FirstOrDefault(l => l.StartsWith("Spam:", StringComparison.OrdinalIgnoreCase));
        var semicolon = spam?.IndexOf(';', StringComparison.Ordinal) ?? -1;
        var slash = spam?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (spam is null || semicolon < 0 || slash < semicolon
            || !double.TryParse(spam[(semicolon + 1)..slash], NumberStyles.Float, CultureInfo.InvariantCulture, out score)
            || !double.IsFinite(score))
            return false;
        if (split >= 0)
            symbols = reply[(split + 4)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return true;
    }
}
