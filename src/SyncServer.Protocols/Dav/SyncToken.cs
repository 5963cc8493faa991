using System.Globalization;

namespace SyncServer.Protocols.Dav;

/// <summary>
/// An RFC 6578 sync-token: a URI naming the collection and the modseq the client has seen
/// (<c>urn:syncserver:sync:{collection}:{modseq}</c>). The collection is part of it so a token of another collection is refused.
/// </summary>
public readonly record struct SyncToken(long Collection, long ModSeq)
{
    private const string Prefix = "urn:syncserver:sync:";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Collection}:{ModSeq}");

    public static bool TryParse(string text, out SyncToken token)
    {
        token = default;
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
            return false;
        var parts = text[Prefix.Length..].Split(':');
        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var collection)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var modSeq))
            return false;
        token = new SyncToken(collection, modSeq);
        return true;
    }
}
