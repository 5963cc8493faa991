namespace SyncServer.Protocols.VCard;

/// <summary>The VERSION of a vCard. 2.1 is only read (phones still send it); CardDAV serves 3.0 and 4.0.</summary>
public enum VCardVersion
{
    /// <summary>No VERSION line, or one this codec does not know.</summary>
    Unknown,

    /// <summary>vCard 2.1 (the Versit specification): bare type parameters, QUOTED-PRINTABLE, CHARSET.</summary>
    V21,

    /// <summary>vCard 3.0, RFC 2426.</summary>
    V3,

    /// <summary>vCard 4.0, RFC 6350.</summary>
    V4,
}

/// <summary>The VERSION value text of each <see cref="VCardVersion"/>.</summary>
public static class VCardVersions
{
    /// <summary>"2.1", "3.0" or "4.0"; null for <see cref="VCardVersion.Unknown"/>.</summary>
    public static string? ToText(this VCardVersion version) => version switch
    {
        VCardVersion.V21 => "2.1",
        VCardVersion.V3 => "3.0",
        VCardVersion.V4 => "4.0",
        _ => null,
    };

    /// <summary>The version a VERSION value names (surrounding blanks ignored).</summary>
    public static VCardVersion Parse(string? text) => text?.Trim() switch
    {
        "2.1" => VCardVersion.V21,
        "3.0" => VCardVersion.V3,
        "4.0" => VCardVersion.V4,
        _ => VCardVersion.Unknown,
    };
}
