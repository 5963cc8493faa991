using System.Text;
using System.Xml.Linq;
using MailKit;
using MailKit.Net.Imap;
using MimeKit;
using SyncServer.Protocols.ActiveSync.Wbxml;
using SyncServer.Server.Tests.Shared;

namespace SyncServer.Server.Tests.ActiveSync;

/// <summary>
/// WBXML as the real server reads and writes it (client-requirements A.4, issue 6 acceptance): every answer carries
/// the EAS header, the global tokens ActiveSync does not use are refused, an unknown subtree in a known request is
/// passed over, and malformed WBXML sent to every command the server advertises is a 400 that changes nothing.
/// </summary>
[NonParallelizable]
public sealed class WbxmlOnTheWireTests
{
    private static readonly XNamespace AirSync = ActiveSyncNamespaces.AirSync;
    private static readonly XNamespace Calendar = ActiveSyncNamespaces.Calendar;
    private static readonly byte[] Header = [0x03, 0x01, 0x6A, 0x00];

    private EasServer _server = null!;
    private EasDevice _phone = null!;
    private ImapClient _imap = null!;
    private string _inbox = "";
    private string _folderSyncKey = "";

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await EasServer.StartAsync();
        _imap = await EasMail.ImapAsync(_server);
        await _imap.Inbox.AppendAsync(new MimeMessage([MailboxAddress.Parse("bob@example.org")], [MailboxAddress.Parse(EasServer.User)], "kept",
            new TextPart("plain") { Text = "Malformed requests leave me alone." }));
        _phone = new EasDevice(_server, "wbxmlphone", "Android", "14.1");
        await _phone.ProvisionAsync();
        var (_, folders) = await _phone.PostAsync("FolderSync", Eas.FolderSync("0"));
        _folderSyncKey = Eas.Value(folders!, Eas.Folders + "SyncKey");
        _inbox = folders!.Descendants(Eas.Folders + "Add").Single(a => (string?)a.Element(Eas.Folders + "Type") == "2")
            .Element(Eas.Folders + "ServerId")!.Value;
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _imap.Dispose();
        _phone.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task EAS_WBXML_01_EveryWbxmlAnswer_StartsWith_03_01_6A_00()
    {
        // A device of its own: its Provision request must not replace the policy key the other tests use.
        using var device = new EasDevice(_server, "headerphone", "iPhone", "16.1");
        await device.ProvisionAsync();
        var answered = new List<string>();
        foreach (var command in await AdvertisedCommandsAsync())
        {
            if (HarmlessRequest(command) is not { } body)
                continue;
            var (response, bytes) = await device.PostBytesAsync(command, WbxmlEncoder.Encode(body));
            if (response.Content.Headers.ContentType?.MediaType != "application/vnd.ms-sync.wbxml")
                continue;
            Assert.That(bytes.Take(Header.Length), Is.EqualTo(Header), command);
            answered.Add(command);
        }
        Assert.That(answered, Is.SupersetOf(new[]
        {
            "FolderCreate", "FolderDelete", "FolderSync", "FolderUpdate", "GetItemEstimate", "ItemOperations", "MoveItems", "Ping",
            "Provision", "Search", "Settings", "Sync", "ValidateCert",
        }));
    }

    [Test]
    public async Task EAS_WBXML_02_StringTableAndStrT_AreAccepted()
    {
        // A 2-byte string table "0\0"; the SyncKey is STR_T 0 (0x83 0x00) instead of an inline string.
        var (response, bytes) = await _phone.PostBytesAsync("FolderSync", [0x03, 0x01, 0x6A, 0x02, (byte)'0', 0x00, 0x00, 0x07, 0x56, 0x52, 0x83, 0x00, 0x01, 0x01]);
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That(Eas.Value(Decode(bytes), Eas.Folders + "Status"), Is.EqualTo("1"));
    }

    // ENTITY, LITERAL, EXT_I_0, PI, LITERAL_C, EXT_T_0, LITERAL_A, EXT_0, LITERAL_AC (WAP-192-WBXML 7.1).
    [TestCase(0x02), TestCase(0x04), TestCase(0x40), TestCase(0x43), TestCase(0x44), TestCase(0x80), TestCase(0x84), TestCase(0xC0), TestCase(0xC4)]
    public async Task EAS_WBXML_02_GlobalTokensActiveSyncDoesNotUse_Are400(byte token)
    {
        var (response, _) = await _phone.PostBytesAsync("FolderSync", [0x03, 0x01, 0x6A, 0x00, 0x00, 0x07, 0x56, 0x52, token, 0x00, 0x01, 0x01]);
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
    }

    [Test]
    public async Task EAS_WBXML_06_AnUnknownSubtreeInsideAKnownRequest_IsPassedOver()
    {
        // Elements of a known code page the command does not know, as a newer client might add them.
        XElement Unknown() => new(Calendar + "Attendees", new XElement(Calendar + "Attendee", new XElement(Calendar + "Email", "x@example.org")));

        var (_, folders) = await _phone.PostAsync("FolderSync", new XElement(Eas.Folders + "FolderSync",
            new XElement(Eas.Folders + "SyncKey", _folderSyncKey), Unknown()));
        Assert.That(Eas.Value(folders!, Eas.Folders + "Status"), Is.EqualTo("1"));

        var (_, sync) = await _phone.PostAsync("Sync", new XElement(AirSync + "Sync", new XElement(AirSync + "Collections",
            new XElement(AirSync + "Collection", new XElement(AirSync + "SyncKey", "0"), new XElement(AirSync + "CollectionId", _inbox), Unknown()))));
        Assert.That(Eas.Value(sync!, AirSync + "Status"), Is.EqualTo("1"));

        var (_, settings) = await _phone.PostAsync("Settings", new XElement(Eas.Settings + "Settings",
            new XElement(Eas.Settings + "UserInformation", new XElement(Eas.Settings + "Get"), Unknown())));
        Assert.That(settings!.Element(Eas.Settings + "Status")!.Value, Is.EqualTo("1"));
        Assert.That(Eas.Value(settings, Eas.Settings + "PrimarySmtpAddress"), Is.EqualTo(EasServer.User));
    }

    public static IEnumerable<string> MalformedKinds() =>
        ["truncated", "unknown code page", "unknown tag token", "nesting deeper than the limit", "opaque length of 4 GiB", "ENTITY"];

    [TestCaseSource(nameof(MalformedKinds))]
    public async Task MalformedWbxml_ToEveryCommand_Is400_TheServerKeepsServing_NothingChanges(string kind)
    {
        var before = await StoreSnapshot.TakeAsync(_imap);
        foreach (var command in await AdvertisedCommandsAsync())
        {
            var (response, bytes) = await _phone.PostBytesAsync(command, Malformed(kind, RootOf(command)));
            Assert.That((int)response.StatusCode, Is.EqualTo(400), $"{command}: {Encoding.UTF8.GetString(bytes)}");
        }
        var (_, folders) = await _phone.PostAsync("FolderSync", Eas.FolderSync(_folderSyncKey));
        Assert.That(Eas.Value(folders!, Eas.Folders + "Status"), Is.EqualTo("1"));
        Assert.That(folders!.Element(Eas.Folders + "Changes")?.Element(Eas.Folders + "Count")?.Value ?? "0", Is.EqualTo("0"));
        Assert.That(await StoreSnapshot.TakeAsync(_imap), Is.EqualTo(before));
    }

    /// <summary>
    /// A document that starts like the command's own request (its root on its code page) and then goes wrong.
    /// </summary>
    private static byte[] Malformed(string kind, XName root)
    {
        var (page, token) = WbxmlCodePages.ByName[root];
        var codePage = WbxmlCodePages.All[page];
        var child = codePage.Tags.First(t => t.Token != token).Token;
        var unknown = Enumerable.Range(0x05, 0x3B).First(t => !codePage.TryGetName(t, out _));
        byte[] start = [.. Header, 0x00, page, (byte)(token | 0x40)];
        return kind switch
        {
            "truncated" => [.. start, (byte)(child | 0x40), 0x03, (byte)'a', (byte)'b'],
            "unknown code page" => [.. Header, 0x00, (byte)WbxmlCodePages.All.Count, 0x45, 0x01],
            "unknown tag token" => [.. start, (byte)unknown, 0x01],
            "nesting deeper than the limit" => [.. start, .. Enumerable.Repeat((byte)(child | 0x40), WbxmlLimits.Default.MaxDepth + 10),
                .. Enumerable.Repeat((byte)0x01, WbxmlLimits.Default.MaxDepth + 11)],
            "opaque length of 4 GiB" => [.. start, (byte)(child | 0x40), 0xC3, 0x8F, 0xFF, 0xFF, 0xFF, 0x7F, (byte)'x', 0x01, 0x01],
            "ENTITY" => [.. start, 0x02, 0x81, 0x00, 0x01],
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>The command's top-level element (MS-ASCMD 2.2.3: named like the command); GetAttachment has none.</summary>
    private static XName RootOf(string command) =>
        WbxmlCodePages.ByName.Keys.FirstOrDefault(name => name.LocalName == command) ?? AirSync + "Sync";

    /// <summary>A request each command answers without changing anything (unknown keys, ids and folders).</summary>
    private XElement? HarmlessRequest(string command)
    {
        XNamespace ns = RootOf(command).Namespace;
        return command switch
        {
            "FolderSync" => Eas.FolderSync(_folderSyncKey),
            "FolderCreate" => new XElement(ns + command, new XElement(ns + "SyncKey", "999"), new XElement(ns + "ParentId", "0"),
                new XElement(ns + "DisplayName", "never"), new XElement(ns + "Type", "12")),
            "FolderUpdate" => new XElement(ns + command, new XElement(ns + "SyncKey", "999"), new XElement(ns + "ServerId", "999"),
                new XElement(ns + "ParentId", "0"), new XElement(ns + "DisplayName", "never")),
            "FolderDelete" => new XElement(ns + command, new XElement(ns + "SyncKey", "999"), new XElement(ns + "ServerId", "999")),
            "Sync" => new XElement(ns + command, new XElement(ns + "Collections", new XElement(ns + "Collection",
                new XElement(ns + "SyncKey", "0"), new XElement(ns + "CollectionId", _inbox)))),
            "GetItemEstimate" => new XElement(ns + command, new XElement(ns + "Collections", new XElement(ns + "Collection",
                new XElement(AirSync + "SyncKey", "999"), new XElement(ns + "CollectionId", _inbox)))),
            // Below the heartbeat bounds: answered at once with status 5.
            "Ping" => new XElement(ns + command, new XElement(ns + "HeartbeatInterval", "30")),
            "Provision" => Eas.ProvisionRequest(),
            "Settings" => new XElement(ns + command, new XElement(ns + "UserInformation", new XElement(ns + "Get"))),
            "MoveItems" => new XElement(ns + command, new XElement(ns + "Move", new XElement(ns + "SrcMsgId", "999:1"),
                new XElement(ns + "SrcFldId", "999"), new XElement(ns + "DstFldId", _inbox))),
            "ItemOperations" => new XElement(ns + command, new XElement(ns + "Fetch", new XElement(ns + "Store", "Mailbox"),
                new XElement(AirSync + "CollectionId", _inbox), new XElement(AirSync + "ServerId", "999:1"))),
            "Search" => new XElement(ns + command, new XElement(ns + "Store", new XElement(ns + "Name", "GAL"),
                new XElement(ns + "Query", "alice"), new XElement(ns + "Options", new XElement(ns + "Range", "0-9")))),
            "ValidateCert" => new XElement(ns + command, new XElement(ns + "Certificates", new XElement(ns + "Certificate", "AAAA"))),
            // SendMail, SmartReply, SmartForward answer a success with an empty body; GetAttachment has no WBXML.
            _ => null,
        };
    }

    private async Task<IReadOnlyList<string>> AdvertisedCommandsAsync()
    {
        using var http = _server.NewHttpClient();
        using var options = await http.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/Microsoft-Server-ActiveSync")
        {
            Headers = { Authorization = _phone.Credentials() },
        });
        return options.Headers.GetValues("MS-ASProtocolCommands").Single().Split(',');
    }

    private static XElement Decode(byte[] bytes)
    {
        Assert.That(WbxmlDecoder.TryDecode(bytes, WbxmlLimits.Default, out var root, out var error), Is.True, error?.ToString());
        return root!;
    }
}
