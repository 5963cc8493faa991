namespace SyncServer.Protocols.VCard;

/// <summary>Limits of <see cref="VCardParser"/>. A card over any of them is refused with an error, never an exception.</summary>
public sealed record VCardParseOptions
{
    /// <summary>Room for the multi-megabyte photos phones send (client requirements EAS-Q-24).</summary>
    public static readonly VCardParseOptions Default = new();

    /// <summary>Largest card in characters (for the UTF-8 overload: in octets).</summary>
    public int MaxSize { get; init; } = 8 * 1024 * 1024;

    /// <summary>Most content lines in one card, VERSION included.</summary>
    public int MaxProperties { get; init; } = 10_000;

    /// <summary>Longest content line in characters after unfolding (a base64 photo is one line).</summary>
    public int MaxLineLength { get; init; } = 8 * 1024 * 1024;
}
