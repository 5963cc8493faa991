namespace SyncServer.Protocols.VCard;

/// <summary>What is wrong with a card a client stores.</summary>
public enum VCardProblemKind
{
    /// <summary>VERSION is missing or appears more than once (RFC 6350 §6.7.9: exactly once).</summary>
    BadVersion,

    /// <summary>VERSION is neither 3.0 nor 4.0: the CardDAV precondition is <c>supported-address-data</c> (RFC 6352 §6.3.2.1).</summary>
    UnsupportedVersion,

    /// <summary>No FN (required in 3.0 and 4.0: RFC 2426 §3.1.1, RFC 6350 §6.2.1).</summary>
    MissingFormattedName,

    /// <summary>No N in a 3.0 card (RFC 2426 §3.1.2).</summary>
    MissingName,

    /// <summary>No UID, or more than one (RFC 6352 §5.1: each address object resource has one UID).</summary>
    BadUid,
}

/// <summary>A card refused by <see cref="VCardValidator"/>, with a message for the error body.</summary>
public sealed record VCardProblem(VCardProblemKind Kind, string Message);

/// <summary>
/// The checks behind CardDAV's <c>valid-address-data</c> and <c>supported-address-data</c> preconditions
/// (RFC 6352 §6.3.2.1): BEGIN/END are the parser's, the rest is here.
/// </summary>
public static class VCardValidator
{
    /// <summary>Null when the card can be stored; otherwise the first problem found.</summary>
    public static VCardProblem? Validate(VCard card)
    {
        var versions = card.FindAll("VERSION").Count();
        if (versions != 1)
            return new(VCardProblemKind.BadVersion, versions == 0 ? "VERSION is missing" : "VERSION appears more than once");
        var version = card.Version;
        if (version is not (VCardVersion.V3 or VCardVersion.V4))
            return new(VCardProblemKind.UnsupportedVersion, $"vCard version {card.Find("VERSION")!.RawValue.Trim()} is not supported (3.0 and 4.0 are)");
        if (card.Find("FN") is null)
            return new(VCardProblemKind.MissingFormattedName, "FN is missing");
        if (version == VCardVersion.V3 && card.Find("N") is null)
            return new(VCardProblemKind.MissingName, "N is missing (required in vCard 3.0)");
        var uids = card.FindAll("UID").ToList();
        if (uids.Count != 1 || uids[0].GetText().Trim().Length == 0)
            return new(VCardProblemKind.BadUid, uids.Count > 1 ? "UID appears more than once" : "UID is missing");
        return null;
    }
}
