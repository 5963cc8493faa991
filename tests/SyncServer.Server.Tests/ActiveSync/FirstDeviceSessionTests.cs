using System.Net;
using System.Text;
using System.Xml.Linq;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.Tests.ActiveSync;

/// <summary>
/// A whole first session of three kinds of phone against the real server (issue 6 acceptance; client-requirements
/// A.3): OPTIONS → Provision ×2 → Settings → FolderSync → Sync 0 → GetChanges in MoreAvailable batches over a
/// 1,000-message INBOX → a message delivered by SMTP and a flag, move and delete made over IMAP reach the phone
/// through Ping + Sync → the phone's Read, Flag and Delete reach IMAP → SendMail, SmartReply and SmartForward reach
/// another user and Sent Items. Along the way, no duplicates: one batch asked
/// three times with the same key is the same batch, and a FolderSync 0 of the known device keeps ServerIds and the
/// Sync state of its folders.
/// </summary>
[NonParallelizable]
public sealed class FirstDeviceSessionTests
{
    private static readonly XNamespace AirSync = ActiveSyncNamespaces.AirSync;
    private static readonly XNamespace Email = ActiveSyncNamespaces.Email;
    private static readonly XNamespace Ping = ActiveSyncNamespaces.Ping;
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    /// <summary>Request line command codes (MS-ASHTTP 2.2.1.1.1.1.2) for the base64 form.</summary>
    private static readonly Dictionary<string, byte> CommandCodes = new()
    {
        ["Sync"] = 0, ["SendMail"] = 1, ["SmartForward"] = 2, ["SmartReply"] = 3, ["FolderSync"] = 9, ["Settings"] = 17, ["Ping"] = 18, ["Provision"] = 20,
    };

    private EasServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServerWithAThousandMessages()
    {
        _server = await EasServer.StartAsync();
        await EasMail.AddBobAsync(_server);
        using var imap = await ImapAsync();
        await imap.Inbox.OpenAsync(FolderAccess.ReadWrite);
        for (var i = 0; i < 125; i++)
            await imap.Inbox.AppendAsync(Message($"inbox message {i}", "body " + i));
        // 125 → 1,000 by copying the INBOX into itself three times (each copy is a new item with a new UID).
        for (var i = 0; i < 3; i++)
            await imap.Inbox.CopyToAsync(await imap.Inbox.SearchAsync(SearchQuery.All), imap.Inbox);
        Assert.That(imap.Inbox.Count, Is.EqualTo(1000));
    }

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [TestCase("iossession", "iPhone", "16.1", false, TestName = "iOS-like 16.1")]
    [TestCase("androidsession", "Android", "14.1", false, TestName = "Android-like 14.1")]
    [TestCase("0123456789ABCDEF0123456789ABCDE0", "WindowsOutlook", "14.0", true, TestName = "Outlook-like 14.0, Latin-1 Basic, base64 request line")]
    public async Task FirstDeviceSession(string deviceId, string deviceType, string version, bool outlook)
    {
        using var phone = new EasDevice(_server, deviceId, deviceType, version, outlook ? Encoding.Latin1 : null);
        async Task<XElement?> Post(string command, XElement? body)
        {
            var (response, answer) = outlook ? await phone.PostBase64Async(CommandCodes[command], body) : await phone.PostAsync(command, body);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), command);
            return answer;
        }

        // OPTIONS
        using (var http = _server.NewHttpClient())
        {
            var options = new HttpRequestMessage(HttpMethod.Options, "/Microsoft-Server-ActiveSync");
            options.Headers.Authorization = phone.Credentials();
            var optionsAnswer = await http.SendAsync(options);
            Assert.That(optionsAnswer.Headers.GetValues("MS-ASProtocolVersions").Single().Split(','), Does.Contain(version));
        }

        // Provision ×2
        var first = await Post("Provision", Eas.ProvisionRequest());
        phone.PolicyKey = uint.Parse(Eas.Value(first!, Eas.Provision + "PolicyKey"));
        var second = await Post("Provision", Eas.ProvisionAcknowledgement(phone.PolicyKey.Value));
        phone.PolicyKey = uint.Parse(Eas.Value(second!, Eas.Provision + "PolicyKey"));

        // Settings
        var settings = await Post("Settings", new XElement(Eas.Settings + "Settings",
            new XElement(Eas.Settings + "UserInformation", new XElement(Eas.Settings + "Get")),
            new XElement(Eas.Settings + "DeviceInformation", new XElement(Eas.Settings + "Set", new XElement(Eas.Settings + "Model", deviceType)))));
        Assert.That(settings!.Descendants().Any(e => e.Value == EasServer.User), Is.True);

        // FolderSync
        var folders = await Post("FolderSync", Eas.FolderSync("0"));
        string FolderOfType(XElement list, string type)
            => Eas.Value(list.Descendants(Eas.Folders + "Add").Single(a => Eas.Value(a, Eas.Folders + "Type") == type), Eas.Folders + "ServerId");
        var inboxId = FolderOfType(folders!, "2");
        var serverIds = folders!.Descendants(Eas.Folders + "ServerId").Select(s => s.Value).Order().ToList();

        // Sync 0, then GetChanges in batches of 100 until MoreAvailable is gone
        var key = Eas.Value((await Post("Sync", SyncRequest(inboxId, "0")))!, AirSync + "SyncKey");
        var items = new Dictionary<string, string>();
        var batches = 0;
        while (true)
        {
            var batch = await Post("Sync", SyncRequest(inboxId, key));
            batches++;
            if (batches == 3)
            {
                // No duplicates: the same request with the same key, three times, is the same batch.
                for (var i = 0; i < 2; i++)
                    Assert.That((await Post("Sync", SyncRequest(inboxId, key)))!.ToString(), Is.EqualTo(batch!.ToString()));
            }
            foreach (var add in batch!.Descendants(AirSync + "Add"))
                Assert.That(items.TryAdd(Eas.Value(add, AirSync + "ServerId"), Eas.Value(add, Email + "Subject")), Is.True, "each item once");
            key = Eas.Value(batch, AirSync + "SyncKey");
            if (!batch.Descendants(AirSync + "MoreAvailable").Any())
                break;
        }
        using var imap = await ImapAsync();
        var inbox = imap.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        Assert.That((items.Count, batches), Is.EqualTo((inbox.Count, (inbox.Count + 99) / 100)));

        // Six messages of this session's own, to be changed on either side.
        var subjects = Enumerable.Range(0, 6).Select(i => $"{deviceId} {i}").ToList();
        foreach (var own in subjects)
            await inbox.AppendAsync(Message(own, "x"));
        var mine = await Post("Sync", SyncRequest(inboxId, key));
        var ids = mine!.Descendants(AirSync + "Add").ToDictionary(a => Eas.Value(a, Email + "Subject"), a => Eas.Value(a, AirSync + "ServerId"));
        Assert.That(ids.Keys, Is.EquivalentTo(subjects), mine.ToString());
        key = Eas.Value(mine, AirSync + "SyncKey");

        // A message delivered by SMTP wakes a waiting Ping; Sync brings it.
        var ping = Post("Ping", PingRequest(inboxId));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.That(ping.IsCompleted, Is.False, "everything synced: the Ping waits");
        var subject = "delivered to " + deviceId;
        using (var smtp = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true })
        {
            await smtp.ConnectAsync("127.0.0.1", _server.SubmissionPort, SecureSocketOptions.StartTls);
            await smtp.AuthenticateAsync(EasServer.User, EasServer.Password);
            await smtp.SendAsync(Message(subject, "over SMTP"));
        }
        Assert.That(Eas.Value((await ping.WaitAsync(Generous))!, Ping + "Status"), Is.EqualTo("2"));
        var delivered = await Post("Sync", SyncRequest(inboxId, key));
        Assert.That(Eas.Value(delivered!.Descendants(AirSync + "Add").Single(), Email + "Subject"), Is.EqualTo(subject));
        key = Eas.Value(delivered, AirSync + "SyncKey");

        // A flag, a move and a delete over IMAP reach the phone through Ping + Sync.
        async Task<UniqueId> UidOf(string own) => (await inbox.SearchAsync(SearchQuery.HeaderContains("Subject", own))).Single();
        ping = Post("Ping", null);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        await inbox.AddFlagsAsync(await UidOf(subjects[0]), MessageFlags.Flagged, silent: true);
        Assert.That(Eas.Value((await ping.WaitAsync(Generous))!, Ping + "Status"), Is.EqualTo("2"));
        await inbox.MoveToAsync(await UidOf(subjects[1]), await imap.GetFolderAsync("Archive"));
        await inbox.AddFlagsAsync(await UidOf(subjects[2]), MessageFlags.Deleted, silent: true);
        await inbox.ExpungeAsync();
        var changed = await Post("Sync", SyncRequest(inboxId, key));
        var change = changed!.Descendants(AirSync + "Change").Single();
        Assert.That((Eas.Value(change, AirSync + "ServerId"), Eas.Value(change, Email + "Status")), Is.EqualTo((ids[subjects[0]], "2")));
        Assert.That(changed.Descendants(AirSync + "Delete").Select(d => Eas.Value(d, AirSync + "ServerId")), Is.EquivalentTo(new[] { ids[subjects[1]], ids[subjects[2]] }));
        key = Eas.Value(changed, AirSync + "SyncKey");

        // The phone's Read, Flag and Delete reach IMAP.
        var (read, flag, delete) = (await UidOf(subjects[3]), await UidOf(subjects[4]), await UidOf(subjects[5]));
        var answer = await Post("Sync", SyncRequest(inboxId, key, new XElement(AirSync + "Commands",
            new XElement(AirSync + "Change", new XElement(AirSync + "ServerId", ids[subjects[3]]),
                new XElement(AirSync + "ApplicationData", new XElement(Email + "Read", 1))),
            new XElement(AirSync + "Change", new XElement(AirSync + "ServerId", ids[subjects[4]]),
                new XElement(AirSync + "ApplicationData", new XElement(Email + "Flag", new XElement(Email + "Status", 2)))),
            new XElement(AirSync + "Delete", new XElement(AirSync + "ServerId", ids[subjects[5]])))));
        Assert.That(answer!.Descendants(AirSync + "Commands"), Is.Empty, "the phone's own changes are not sent back");
        key = Eas.Value(answer, AirSync + "SyncKey");
        await inbox.CloseAsync();
        await inbox.OpenAsync(FolderAccess.ReadOnly);
        var flags = (await inbox.FetchAsync([read, flag], MessageSummaryItems.Flags | MessageSummaryItems.UniqueId)).ToDictionary(s => s.UniqueId, s => s.Flags!.Value);
        Assert.That((flags[read].HasFlag(MessageFlags.Seen), flags[flag].HasFlag(MessageFlags.Flagged)), Is.EqualTo((true, true)));
        Assert.That(await inbox.SearchAsync(SearchQuery.Uids([delete])), Is.Empty, "deleted: moved to Trash");

        // SendMail, SmartReply and SmartForward (of the message flagged above) reach bob and alice's Sent Items.
        MimeMessage ToBob(string own) => new([MailboxAddress.Parse(EasServer.User)], [MailboxAddress.Parse(EasMail.Bob)], own, new TextPart("plain") { Text = "from the phone" });
        var sentSubjects = new[] { $"{deviceId} sends", $"{deviceId} replies", $"{deviceId} forwards" };
        Assert.That(await Post("SendMail", EasMail.SendMail(ToBob(sentSubjects[0]))), Is.Null, "success is an empty 200");
        Assert.That(await Post("SmartReply", EasMail.SmartMail("SmartReply", ToBob(sentSubjects[1]), inboxId, ids[subjects[0]])), Is.Null);
        Assert.That(await Post("SmartForward", EasMail.SmartMail("SmartForward", ToBob(sentSubjects[2]), inboxId, ids[subjects[0]])), Is.Null);
        using (var bob = await EasMail.ImapAsync(_server, EasMail.Bob, EasMail.BobPassword))
            Assert.That((await EasMail.MessagesAsync(bob.Inbox)).Select(m => m.Subject), Is.SupersetOf(sentSubjects));
        Assert.That((await EasMail.MessagesAsync(await imap.GetFolderAsync("Sent"))).Select(m => m.Subject), Is.SupersetOf(sentSubjects));
        var forwarded = (await EasMail.MessagesAsync(await imap.GetFolderAsync("Sent"))).Single(m => m.Subject == sentSubjects[2]);
        Assert.That(forwarded.TextBody, Does.Contain("Forwarded message").And.Contain("Subject: " + subjects[0]), "the original goes with the forward");

        // Gmail-style FolderSync 0 on a known device: same ServerIds, and the INBOX's Sync state still answers.
        var again = await Post("FolderSync", Eas.FolderSync("0"));
        Assert.That(again!.Descendants(Eas.Folders + "ServerId").Select(s => s.Value).Order(), Is.EqualTo(serverIds));
        var still = await Post("Sync", SyncRequest(inboxId, key));
        Assert.That(still?.Descendants(AirSync + "Status").Select(s => s.Value) ?? ["1"], Is.All.EqualTo("1"), "the key is still known (an empty answer or status 1)");
    }

    private static XElement SyncRequest(string collectionId, string syncKey, XElement? commands = null)
        => new(AirSync + "Sync", new XElement(AirSync + "Collections", new XElement(AirSync + "Collection",
            new XElement(AirSync + "SyncKey", syncKey),
            new XElement(AirSync + "CollectionId", collectionId),
            syncKey == "0" ? null : new XElement(AirSync + "WindowSize", 100),
            commands)));

    private static XElement PingRequest(string folder)
        => new(Ping + "Ping", new XElement(Ping + "HeartbeatInterval", 480),
            new XElement(Ping + "Folders", new XElement(Ping + "Folder", new XElement(Ping + "Id", folder), new XElement(Ping + "Class", "Email"))));

    private async Task<ImapClient> ImapAsync()
    {
        var imap = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await imap.ConnectAsync("127.0.0.1", _server.ImapsPort, SecureSocketOptions.SslOnConnect);
        await imap.AuthenticateAsync(EasServer.User, EasServer.Password);
        return imap;
    }

    private static MimeMessage Message(string subject, string text)
        => new([MailboxAddress.Parse(EasServer.User)], [MailboxAddress.Parse(EasServer.User)], subject, new TextPart("plain") { Text = text });
}
