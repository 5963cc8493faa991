namespace SyncServer.Protocols.VCard;

/// <summary>
/// The fields the store indexes for a contact (Core's <c>ContactIndex</c>): UID, FN and the e-mail addresses,
/// the preferred first, a <c>mailto:</c> prefix removed.
/// </summary>
public sealed record VCardContactFields(string? Uid, string? FormattedName, IReadOnlyList<string> Emails)
{
    /// <summary>Reads the indexed fields of <paramref name="card"/>.</summary>
    public static VCardContactFields Extract(VCard card) =>
        new(
            NullIfEmpty(card.Uid),
            NullIfEmpty(card.FormattedName),
            [.. card.Emails.Select(e => e.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? e[7..] : e).Distinct(StringComparer.OrdinalIgnoreCase)]);

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
