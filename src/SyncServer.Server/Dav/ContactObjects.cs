using System.Xml.Linq;
using SyncServer.Core.Model;
using SyncServer.Protocols.Dav;
using SyncServer.Protocols.VCard;

namespace SyncServer.Server.Dav;

/// <summary>
/// vCards as the store keeps them (RFC 6352 §5.1), read with the Protocols/VCard codec: the checks behind valid-address-data and
/// supported-address-data, the index, and address-data in the version a client asks for (§10.4).
/// </summary>
public static class ContactObjects
{
    /// <summary>The parsed card and its index, or the failed precondition.</summary>
    public static (VCard? Card, ContactIndex? Index, XName? Failed) Check(string text)
    {
        if (!VCardParser.TryParse(text, VCardParseOptions.Default, out var card, out _))
            return (null, null, DavNames.ValidAddressData);
        if (VCardValidator.Validate(card) is { } problem)
            return (null, null, problem.Kind == VCardProblemKind.UnsupportedVersion ? DavNames.SupportedAddressData : DavNames.ValidAddressData);
        var fields = VCardContactFields.Extract(card);
        return (card, new ContactIndex(fields.Uid!, fields.FormattedName, fields.Emails), null);
    }

    /// <summary>Whether an <c>address-data</c> request names a type we serve: text/vcard 3.0 or 4.0 (or leaves it to us).</summary>
    public static bool IsSupported(XElement? addressData)
        => addressData is null || (AskedType(addressData) is "text/vcard" && AskedVersion(addressData) is null or VCardVersion.V3 or VCardVersion.V4);

    /// <summary>The stored text, converted when the client asked for the other vCard version.</summary>
    public static string AddressData(string text, XElement asked)
    {
        if (AskedVersion(asked) is not { } wanted || !VCardParser.TryParse(text, VCardParseOptions.Default, out var card, out _) || card.Version == wanted)
            return text;
        return VCardWriter.Write(VCardConverter.ToVersion(card, wanted));
    }

    private static string AskedType(XElement addressData) => (addressData.Attribute("content-type")?.Value ?? "text/vcard").Trim().ToLowerInvariant();

    private static VCardVersion? AskedVersion(XElement addressData)
        => addressData.Attribute("version")?.Value is { } v ? VCardVersions.Parse(v) : null;
}
