using System.Xml.Linq;
using MimeKit;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.ActiveSync.Mapping;

/// <summary>
/// A draft a 16.x client adds to Drafts with Sync (MS-ASEMAIL 3.1.5.3.1): To, Cc, Bcc (Email2), Subject, Importance
/// and a plain-text or HTML Body become a MIME message from the account. Anything else in the body is a conversion
/// error (Sync status 6), as is an address list MimeKit cannot read.
/// </summary>
public static class EmailDraft
{
    private static readonly XNamespace Email = ActiveSyncNamespaces.Email;
    private static readonly XNamespace Email2 = ActiveSyncNamespaces.Email2;
    private static readonly XNamespace Base = ActiveSyncNamespaces.AirSyncBase;

    public static MimeMessage? FromApplicationData(XElement data, MailboxAddress from, DateTimeOffset now)
    {
        var message = new MimeMessage { Date = now, Subject = (string?)data.Element(Email + "Subject") ?? "" };
        message.From.Add(from);
        foreach (var (name, list) in new[] { (Email + "To", message.To), (Email + "Cc", message.Cc), (Email2 + "Bcc", message.Bcc) })
        {
            if ((string?)data.Element(name) is not { Length: > 0 } addressText)
                continue;
            if (!InternetAddressList.TryParse(addressText, out var addresses))
                return null;
            list.AddRange(addresses);
        }
        message.Importance = (string?)data.Element(Email + "Importance") switch
        {
            "0" => MessageImportance.Low,
            "2" => MessageImportance.High,
            _ => MessageImportance.Normal,
        };
        var body = data.Element(Base + "Body");
        var text = (string?)body?.Element(Base + "Data") ?? "";
        message.Body = ((string?)body?.Element(Base + "Type") ?? "1") switch
        {
            "1" => new TextPart("plain") { Text = text },
            "2" => new TextPart("html") { Text = text },
            _ => null,
        };
        return message.Body is null ? null : message;
    }
}
