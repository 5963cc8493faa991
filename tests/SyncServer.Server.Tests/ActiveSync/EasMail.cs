using System.Globalization;
using System.Net.Http.Headers;
using System.Xml.Linq;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;
using SyncServer.Protocols.ActiveSync.Wbxml;
using SyncServer.Server.Tests.Cli;

namespace SyncServer.Server.Tests.ActiveSync;

/// <summary>
/// What the sending and fetching tests share: a second local user (bob) to send to, IMAP as either user, a phone's
/// full sync of a folder, and requests whose body is not WBXML (12.1 MIME, GetAttachment, multipart answers).
/// </summary>
public static class EasMail
{
    public const string Bob = "bob@example.org";
    public const string BobPassword = "bob's own password";

    private static readonly XNamespace AirSync = ActiveSyncNamespaces.AirSync;

    public static async Task AddBobAsync(EasServer server)
    {
        var added = await ServerProcess.RunAsync(server.DataDirectory, BobPassword + "\n", "user", "add", Bob, "--password-stdin", "--name", "Bob");
        Assert.That(added.ExitCode, Is.Zero, added.Stderr);
    }

    public static async Task<ImapClient> ImapAsync(EasServer server, string user = EasServer.User, string password = EasServer.Password)
    {
        var imap = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await imap.ConnectAsync("127.0.0.1", server.ImapsPort, SecureSocketOptions.SslOnConnect);
        await imap.AuthenticateAsync(user, password);
        return imap;
    }

    /// <summary>Every message of a mailbox, read over IMAP (opened read-only).</summary>
    public static async Task<IReadOnlyList<MimeMessage>> MessagesAsync(IMailFolder folder)
    {
        await folder.OpenAsync(FolderAccess.ReadOnly);
        var messages = new List<MimeMessage>();
        for (var i = 0; i < folder.Count; i++)
            messages.Add(await folder.GetMessageAsync(i));
        await folder.CloseAsync();
        return messages;
    }

    /// <summary>The ServerId of the folder of this type (2 Inbox, 5 Sent Items) or, with a name, of that folder.</summary>
    public static async Task<string> FolderIdAsync(EasDevice phone, int type, string? name = null)
    {
        var (_, folders) = await phone.PostAsync("FolderSync", Eas.FolderSync("0"));
        return Eas.Value(folders!.Descendants(Eas.Folders + "Add").Single(a => name is null
            ? Eas.Value(a, Eas.Folders + "Type") == type.ToString(CultureInfo.InvariantCulture)
            : Eas.Value(a, Eas.Folders + "DisplayName") == name), Eas.Folders + "ServerId");
    }

    /// <summary>A first sync of a folder (SyncKey 0, then GetChanges until no MoreAvailable): every Add, with the body as asked.</summary>
    public static async Task<IReadOnlyList<XElement>> SyncAllAsync(EasDevice phone, string collectionId, XElement? options = null)
        => (await InitialSyncAsync(phone, collectionId, options)).Adds;

    /// <summary>A first sync of a folder as <see cref="SyncAllAsync"/> does, with the key it ends at.</summary>
    public static async Task<(string Key, IReadOnlyList<XElement> Adds)> InitialSyncAsync(EasDevice phone, string collectionId, XElement? options = null)
    {
        var (_, primed) = await phone.PostAsync("Sync", SyncRequest(collectionId, "0", options: options));
        var key = Eas.Value(primed!, AirSync + "SyncKey");
        var adds = new List<XElement>();
        while (true)
        {
            var (_, batch) = await phone.PostAsync("Sync", SyncRequest(collectionId, key, options: options));
            if (batch is null)
                return (key, adds);
            adds.AddRange(batch.Descendants(AirSync + "Add"));
            key = Eas.Value(batch, AirSync + "SyncKey");
            if (!batch.Descendants(AirSync + "MoreAvailable").Any())
                return (key, adds);
        }
    }

    /// <summary>A Sync of one folder: GetChanges with a window (100 unless given; none for key 0), the client's commands and options.</summary>
    public static XElement SyncRequest(string collectionId, string key, XElement? commands = null, XElement? options = null, int windowSize = 100)
        => new(AirSync + "Sync", new XElement(AirSync + "Collections", new XElement(AirSync + "Collection",
            new XElement(AirSync + "SyncKey", key), new XElement(AirSync + "CollectionId", collectionId),
            key == "0" ? null : new XElement(AirSync + "GetChanges"), key == "0" ? null : new XElement(AirSync + "WindowSize", windowSize), options, commands)));

    public static string ServerIdOf(IEnumerable<XElement> adds, string subject)
        => Eas.Value(adds.Single(a => Eas.Value(a, ActiveSyncNamespaces.Email + "Subject") == subject), AirSync + "ServerId");

    /// <summary>
    /// A POST whose body or answer is not WBXML: the plain request line plus <paramref name="parameters"/>, the
    /// phone's credentials, version and policy key; the answer's bytes as they came.
    /// </summary>
    public static async Task<(HttpResponseMessage Response, byte[] Body)> PostRawAsync(EasServer server, EasDevice phone, string deviceType,
        string version, string command, HttpContent? content, string parameters = "", params (string Name, string Value)[] headers)
    {
        using var http = server.NewHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"/Microsoft-Server-ActiveSync?Cmd={command}&User={Uri.EscapeDataString(EasServer.User)}&DeviceId={phone.DeviceId}&DeviceType={deviceType}{parameters}");
        request.Headers.Authorization = phone.Credentials();
        request.Headers.Add("MS-ASProtocolVersion", version);
        if (phone.PolicyKey is { } key)
            request.Headers.Add("X-MS-PolicyKey", key.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in headers)
            request.Headers.Add(name, value);
        request.Content = content;
        var response = await http.SendAsync(request);
        return (response, await response.Content.ReadAsByteArrayAsync());
    }

    public static HttpContent Wbxml(XElement document)
    {
        var content = new ByteArrayContent(WbxmlEncoder.Encode(document));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.ms-sync.wbxml");
        return content;
    }

    /// <summary>A 14.0+ SmartReply or SmartForward body (ComposeMail) of the message, replying to or forwarding the item, saved in Sent Items.</summary>
    public static XElement SmartMail(string command, MimeMessage message, string folderId, string itemId, XElement? replaceMime = null)
        => new(ActiveSyncNamespaces.ComposeMail + command, new XElement(ActiveSyncNamespaces.ComposeMail + "ClientId", Guid.NewGuid().ToString("N")),
            new XElement(ActiveSyncNamespaces.ComposeMail + "Source", new XElement(ActiveSyncNamespaces.ComposeMail + "FolderId", folderId),
                new XElement(ActiveSyncNamespaces.ComposeMail + "ItemId", itemId)),
            new XElement(ActiveSyncNamespaces.ComposeMail + "SaveInSentItems"), replaceMime,
            WbxmlOpaque.Element(ActiveSyncNamespaces.ComposeMail + "Mime", Bytes(message)));

    /// <summary>A 14.0+ SendMail body (ComposeMail) with a new ClientId, saved in Sent Items.</summary>
    public static XElement SendMail(MimeMessage message)
        => new(ActiveSyncNamespaces.ComposeMail + "SendMail", new XElement(ActiveSyncNamespaces.ComposeMail + "ClientId", Guid.NewGuid().ToString("N")),
            new XElement(ActiveSyncNamespaces.ComposeMail + "SaveInSentItems"), WbxmlOpaque.Element(ActiveSyncNamespaces.ComposeMail + "Mime", Bytes(message)));

    public static byte[] Bytes(MimeMessage message)
    {
        using var buffer = new MemoryStream();
        message.WriteTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>A message from bob to alice with a text body and one attachment (body part 1).</summary>
    public static MimeMessage WithAttachment(string subject, string text, string fileName, byte[] content)
    {
        var body = new BodyBuilder { TextBody = text };
        body.Attachments.Add(fileName, content, new ContentType("application", "pdf"));
        return new MimeMessage([MailboxAddress.Parse(Bob)], [MailboxAddress.Parse(EasServer.User)], subject, body.ToMessageBody());
    }
}
