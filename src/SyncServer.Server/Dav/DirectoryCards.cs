using System.Security.Cryptography;
using System.Text;
using SyncServer.Core.Directory;
using SyncServer.Protocols.VCard;

namespace SyncServer.Server.Dav;

/// <summary>
/// The directory address book's vCards (3.0, converted to 4.0 when a client asks), written with the Protocols/VCard codec
/// from a <see cref="GalEntry"/>: FN (the display name, else the address), N, EMAIL, and a UID that stays the same for as
/// long as the account or list exists (a UUID derived from its key).
/// </summary>
public static class DirectoryCards
{
    public const string ContentType = "text/vcard; charset=utf-8";

    public static string ResourceName(GalEntry entry) => entry.Key + ".vcf";

    public static string Uid(GalEntry entry)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes("syncserver-directory:" + entry.Key))[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // RFC 9562 version 8: a name-derived UUID of our own
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return "urn:uuid:" + new Guid(bytes, bigEndian: true).ToString("D");
    }

    public static string Write(GalEntry entry)
    {
        var name = entry.DisplayName.Trim() is { Length: > 0 } display ? display : entry.Address;
        var space = name.LastIndexOf(' ');
        string[][] structured = space > 0 ? [[name[(space + 1)..]], [name[..space]], [], [], []] : [[name], [], [], [], []];
        var card = VCard.Create(VCardVersion.V3,
            VCardProperty.Text("UID", Uid(entry)),
            VCardProperty.Text("FN", name),
            VCardProperty.Structured("N", structured),
            VCardProperty.Text("EMAIL", entry.Address, new VCardParameter("TYPE", ["INTERNET"])));
        return VCardWriter.Write(card);
    }

    /// <summary>A strong, quoted ETag: a digest of the card's text, so it changes exactly when the card does.</summary>
    public static string ETag(string text) => $"\"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32]}\"";
}
