using System.Buffers.Binary;
using System.Net;
using System.Xml.Linq;
using MailKit;
using MailKit.Net.Imap;
using MimeKit;
using SyncServer.Protocols.ActiveSync.Wbxml;
using SyncServer.Server.Tests.Shared;
using static SyncServer.Server.Tests.ActiveSync.EasMail;

namespace SyncServer.Server.Tests.ActiveSync;

/// <summary>
/// Attachments and whole messages on demand against the real server (client-requirements EAS-SYNC-05 attachments,
/// EAS-IO-01, EAS-IO-02, EAS-GA-01, EAS-WBXML-05): Sync lists attachments with a FileReference that ItemOperations
/// and GetAttachment resolve to the exact bytes; the multipart answer's framing parsed back by hand;
/// EmptyFolderContents seen over IMAP; bad references answer their status and change nothing.
/// </summary>
[NonParallelizable]
public sealed class ItemOperationsTests
{
    private static readonly XNamespace Io = ActiveSyncNamespaces.ItemOperations;
    private static readonly XNamespace AirSync = ActiveSyncNamespaces.AirSync;
    private static readonly XNamespace Base = ActiveSyncNamespaces.AirSyncBase;

    private static readonly byte[] Pdf = Enumerable.Range(0, 5000).Select(i => (byte)(i * 13 + 1)).ToArray();
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];

    private EasServer _server = null!;
    private EasDevice _phone = null!;
    private ImapClient _alice = null!;
    private string _inboxId = null!;
    private XElement _add = null!;
    private byte[] _stored = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await EasServer.StartAsync();
        _alice = await ImapAsync(_server);
        var message = WithAttachment("with attachments", "see the files", "report.pdf", Pdf);
        var logo = new MimePart("image", "png")
        {
            Content = new MimeContent(new MemoryStream(Png)), ContentTransferEncoding = ContentEncoding.Base64, ContentId = "logo@example.org", FileName = "logo.png",
        };
        logo.ContentDisposition = new ContentDisposition(ContentDisposition.Inline);
        ((Multipart)message.Body!).Add(logo);
        await _alice.Inbox.OpenAsync(FolderAccess.ReadWrite);
        await _alice.Inbox.AppendAsync(message);
        using (var stored = new MemoryStream())
        {
            await (await _alice.Inbox.GetStreamAsync(0, "")).CopyToAsync(stored);
            _stored = stored.ToArray();
        }
        await _alice.Inbox.CloseAsync();

        _phone = new EasDevice(_server, "fetcher", "Android", "14.1");
        await _phone.ProvisionAsync();
        _inboxId = await FolderIdAsync(_phone, 2);
        _add = (await SyncAllAsync(_phone, _inboxId)).Single();
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _alice.Dispose();
        _phone.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public void EAS_SYNC_05_SyncListsTheAttachments_WithFileReferenceSizeMethodAndInlineContentId()
    {
        var attachments = _add.Descendants(Base + "Attachment").Select(a => (
            Eas.Value(a, Base + "DisplayName"), Eas.Value(a, Base + "Method"), Eas.Value(a, Base + "EstimatedDataSize"),
            (string?)a.Element(Base + "ContentId"), (string?)a.Element(Base + "IsInline"))).ToList();
        Assert.That(attachments, Is.EqualTo(new[]
        {
            ("report.pdf", "1", "5000", (string?)null, (string?)null),
            ("logo.png", "1", "11", "logo@example.org", "1"),
        }));
        Assert.That(_add.Descendants(Base + "FileReference").Select(f => f.Value).Distinct().Count(), Is.EqualTo(2));
    }

    [Test]
    public async Task EAS_IO_01_FetchByServerId_Mime_AndByFileReference_WithRange()
    {
        var serverId = Eas.Value(_add, AirSync + "ServerId");
        var (_, answer) = await _phone.PostAsync("ItemOperations", new XElement(Io + "ItemOperations",
            FetchMessage(serverId, new XElement(AirSync + "MIMESupport", 2), new XElement(Base + "BodyPreference", new XElement(Base + "Type", 4))),
            FetchAttachment(FileReference("report.pdf")),
            FetchAttachment(FileReference("report.pdf"), "10-19")));
        var fetches = answer!.Descendants(Io + "Fetch").ToList();
        Assert.That(fetches.Select(f => Eas.Value(f, Io + "Status")), Is.EqualTo(new[] { "1", "1", "1" }));

        Assert.That(Eas.Value(fetches[0], AirSync + "Class"), Is.EqualTo("Email"));
        Assert.That(WbxmlOpaque.GetBytes(fetches[0].Descendants(Base + "Data").Single()).ToArray(), Is.EqualTo(_stored), "Type 4 is the stored MIME");

        Assert.That(Eas.Value(fetches[1], Base + "ContentType"), Is.EqualTo("application/pdf"));
        Assert.That(Convert.FromBase64String(Eas.Value(fetches[1], Io + "Data")), Is.EqualTo(Pdf), "non-multipart Data is base64 text");
        Assert.That((Eas.Value(fetches[2], Io + "Range"), Eas.Value(fetches[2], Io + "Total")), Is.EqualTo(("10-19", "5000")));
        Assert.That(Convert.FromBase64String(Eas.Value(fetches[2], Io + "Data")), Is.EqualTo(Pdf[10..20]));
    }

    [Test]
    public async Task EAS_WBXML_05_MultipartAnswer_PartZeroIsWbxml_DataReplacedByPartReferences()
    {
        var request = new XElement(Io + "ItemOperations",
            FetchAttachment(FileReference("report.pdf")),
            FetchMessage(Eas.Value(_add, AirSync + "ServerId"), new XElement(Base + "BodyPreference", new XElement(Base + "Type", 1))),
            FetchAttachment(FileReference("logo.png")));
        var (response, body) = await PostRawAsync(_server, _phone, "Android", "14.1", "ItemOperations", Wbxml(request), "", ("MS-ASAcceptMultiPart", "T"));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/vnd.ms-sync.multipart"));

        // MS-ASCMD 2.2.1.10.1.1: int32 count, count × (int32 offset, int32 length), then the parts.
        var count = BinaryPrimitives.ReadInt32LittleEndian(body);
        var parts = Enumerable.Range(0, count).Select(i => body.AsSpan(
            BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(4 + 8 * i)), BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(8 + 8 * i))).ToArray()).ToList();
        Assert.That((count, BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(4))), Is.EqualTo((4, 4 + 8 * 4)), "part 0 follows the table");
        Assert.That(WbxmlDecoder.TryDecode(parts[0], WbxmlLimits.Default, out var document, out var error), Is.True, error?.ToString());

        Assert.That(document!.Descendants(Io + "Data").Concat(document.Descendants(Base + "Data")), Is.Empty);
        var references = document.Descendants(Io + "Part").Select(p => int.Parse(p.Value)).ToList();
        Assert.That(references, Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(parts[1], Is.EqualTo(Pdf));
        Assert.That(System.Text.Encoding.UTF8.GetString(parts[2]).Trim(), Is.EqualTo("see the files"), "the body's text is a part too");
        Assert.That(parts[3], Is.EqualTo(Png));
    }

    [Test]
    public async Task EAS_GA_01_GetAttachment_ReturnsTheBytesWithTheirContentType_UpTo14_1()
    {
        var (response, body) = await PostRawAsync(_server, _phone, "Android", "14.1", "GetAttachment", null,
            "&AttachmentName=" + Uri.EscapeDataString(FileReference("logo.png")));
        Assert.That((response.StatusCode, response.Content.Headers.ContentType?.MediaType, body), Is.EqualTo((HttpStatusCode.OK, "image/png", Png)));

        var (unknown, _) = await PostRawAsync(_server, _phone, "Android", "14.1", "GetAttachment", null, "&AttachmentName=1:2:99");
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        using var modern = new EasDevice(_server, "modernfetcher", "iPhone", "16.1");
        await modern.ProvisionAsync();
        var (removed, _) = await PostRawAsync(_server, modern, "iPhone", "16.1", "GetAttachment", null,
            "&AttachmentName=" + Uri.EscapeDataString(FileReference("logo.png")));
        Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "16.0 removed GetAttachment");
    }

    [Test]
    public async Task EAS_IO_02_EmptyFolderContents_DeletesTheItems_AndWithDeleteSubFoldersTheSubfolders()
    {
        var personal = _alice.GetFolder(_alice.PersonalNamespaces[0]);
        var folder = (await personal.CreateAsync("Old stuff", true))!;
        var child = (await folder.CreateAsync("older", true))!;
        await folder.OpenAsync(FolderAccess.ReadWrite);
        for (var i = 0; i < 3; i++)
            await folder.AppendAsync(new MimeMessage([MailboxAddress.Parse(Bob)], [MailboxAddress.Parse(EasServer.User)], $"old {i}", new TextPart("plain") { Text = "x" }));
        await folder.CloseAsync();
        var folderId = await FolderIdAsync(_phone, 0, "Old stuff");

        XElement Empty(string id, bool subfolders) => new(Io + "ItemOperations", new XElement(Io + "EmptyFolderContents",
            new XElement(AirSync + "CollectionId", id), subfolders ? new XElement(Io + "Options", new XElement(Io + "DeleteSubFolders")) : null));
        var (_, kept) = await _phone.PostAsync("ItemOperations", Empty(folderId, subfolders: false));
        Assert.That(Eas.Value(kept!, Io + "Status"), Is.EqualTo("1"));
        await folder.StatusAsync(StatusItems.Count);
        Assert.That(folder.Count, Is.Zero);
        Assert.That((await folder.GetSubfoldersAsync()).Select(f => f.Name), Is.EqualTo(new[] { "older" }));

        var (_, emptied) = await _phone.PostAsync("ItemOperations", Empty(folderId, subfolders: true));
        Assert.That(Eas.Value(emptied!.Descendants(Io + "EmptyFolderContents").Single(), Io + "Status"), Is.EqualTo("1"));
        Assert.That(await folder.GetSubfoldersAsync(), Is.Empty);
    }

    [Test]
    public async Task BadRequests_GetTheirStatus_AndChangeNothing()
    {
        var before = await StoreSnapshot.TakeAsync(_alice);
        var (_, empty) = await _phone.PostAsync("ItemOperations", new XElement(Io + "ItemOperations"));
        Assert.That(Eas.Value(empty!, Io + "Status"), Is.EqualTo("2"));

        var serverId = Eas.Value(_add, AirSync + "ServerId");
        var (_, answer) = await _phone.PostAsync("ItemOperations", new XElement(Io + "ItemOperations",
            FetchAttachment("not a reference"),
            FetchAttachment(serverId + ":999"),
            FetchAttachment(FileReference("report.pdf"), "6000-7000"),
            FetchMessage("999999:999999"),
            new XElement(Io + "Fetch", new XElement(Io + "Store", "DocumentLibrary"), new XElement(ActiveSyncNamespaces.DocumentLibrary + "LinkId", "\\\\server\\share")),
            new XElement(Io + "EmptyFolderContents", new XElement(AirSync + "CollectionId", "999999")),
            new XElement(Io + "Move", new XElement(Io + "ConversationId", "x"), new XElement(Io + "DstFldId", _inboxId))));
        Assert.That(Eas.Value(answer!, Io + "Status"), Is.EqualTo("1"));
        Assert.That(answer!.Element(Io + "Response")!.Elements().Select(e => (e.Name.LocalName, Eas.Value(e, Io + "Status"))), Is.EqualTo(new[]
        {
            ("Fetch", "15"), ("Fetch", "15"), ("Fetch", "8"), ("Fetch", "6"), ("Fetch", "9"), ("EmptyFolderContents", "6"), ("Move", "2"),
        }));
        Assert.That(await StoreSnapshot.TakeAsync(_alice), Is.EqualTo(before));
    }

    [Test]
    public async Task AnotherUsersAttachments_AreInvalidReferences()
    {
        await AddBobAsync(_server);
        using var bob = await ImapAsync(_server, Bob, BobPassword);
        await bob.Inbox.OpenAsync(FolderAccess.ReadWrite);
        await bob.Inbox.AppendAsync(WithAttachment("bob's secret", "mine", "secret.pdf", Pdf));
        var aliceItem = long.Parse(FileReference("report.pdf").Split(':')[1]);
        // Item ids are numbered across accounts, so bob's message is one of the next few; none of them is alice's.
        var guesses = Enumerable.Range(1, 20).Select(i => $"{_inboxId}:{aliceItem + i}:1").ToList();
        var (_, answer) = await _phone.PostAsync("ItemOperations", new XElement(Io + "ItemOperations", guesses.Select(g => FetchAttachment(g))));
        Assert.That(answer!.Descendants(Io + "Fetch").Select(f => Eas.Value(f, Io + "Status")).Distinct(), Is.EqualTo(new[] { "15" }));
    }

    private string FileReference(string displayName)
        => Eas.Value(_add.Descendants(Base + "Attachment").Single(a => Eas.Value(a, Base + "DisplayName") == displayName), Base + "FileReference");

    private XElement FetchMessage(string serverId, params XElement[] options)
        => new(Io + "Fetch", new XElement(Io + "Store", "Mailbox"), new XElement(AirSync + "CollectionId", _inboxId),
            new XElement(AirSync + "ServerId", serverId), options.Length > 0 ? new XElement(Io + "Options", options) : null);

    private static XElement FetchAttachment(string fileReference, string? range = null)
        => new(Io + "Fetch", new XElement(Io + "Store", "Mailbox"), new XElement(Base + "FileReference", fileReference),
            range is null ? null : new XElement(Io + "Options", new XElement(Io + "Range", range)));
}
