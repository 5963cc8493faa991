using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using MailKit;
using MimeKit;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.Tests.ActiveSync;

/// <summary>
/// The known client quirks of client-requirements A.6 that concern e-mail, devices and push, one test per quirk id,
/// against the real server (HTTPS, IMAPS beside it). A quirk already proven by another test is referenced in
/// specs/activesync.md instead of repeated here. Each test works in folders of its own (one account for the fixture).
/// </summary>
[NonParallelizable]
public sealed class ClientQuirkTests : EasFixture
{
    private static readonly XNamespace AirSync = ActiveSyncNamespaces.AirSync;
    private static readonly XNamespace Email = ActiveSyncNamespaces.Email;
    private static readonly XNamespace Base = ActiveSyncNamespaces.AirSyncBase;
    private static readonly XNamespace PingNs = ActiveSyncNamespaces.Ping;
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Test]
    public async Task EAS_Q_02_ios_second_SyncKey_0_continues_the_running_initial_sync()
    {
        using var phone = await PhoneAsync("q02iphone", "iPhone", "16.1");
        var folder = await FolderWithMessagesAsync(phone, "Q02", 5);

        var k1 = Key((await phone.PostAsync("Sync", EasMail.SyncRequest(folder, "0"))).Body!);
        var (_, first) = await phone.PostAsync("Sync", EasMail.SyncRequest(folder, k1, windowSize: 2));
        var k2 = Key(first!);
        Assert.That(first!.Descendants(AirSync + "MoreAvailable").Any(), Is.True);

        // Moments later iOS initialises the same folder again: it joins the running walk at its current key.
        var (_, again) = await phone.PostAsync("Sync", EasMail.SyncRequest(folder, "0"));
        Assert.That((Status(again!), Key(again!), again!.Descendants(AirSync + "Commands").Any()), Is.EqualTo(("1", k2, false)));
        var (_, rest) = await phone.PostAsync("Sync", EasMail.SyncRequest(folder, k2, windowSize: 10));
        Assert.That(Subjects(first).Concat(Subjects(rest!)), Is.EqualTo(Enumerable.Range(0, 5).Select(i => $"Q02 {i}")), "each message once");
    }

    [Test]
    public async Task EAS_Q_04_the_final_policy_key_is_accepted_on_the_very_next_request_and_only_from_its_device()
    {
        using var phone = await PhoneAsync("q04iphone", "iPhone", "16.1");
        var (_, settings) = await phone.PostAsync("Settings", new XElement(Eas.Settings + "Settings",
            new XElement(Eas.Settings + "UserInformation", new XElement(Eas.Settings + "Get"))));
        Assert.That(settings!.Element(Eas.Settings + "Status")!.Value, Is.EqualTo("1"), "no 449/142 loop right after Provision");

        using var other = new EasDevice(Server, "q04other", "iPhone", "16.1") { PolicyKey = phone.PolicyKey };
        var (_, refused) = await other.PostAsync("FolderSync", Eas.FolderSync("0"));
        Assert.That(refused!.Element(Eas.Folders + "Status")!.Value, Is.AnyOf("142", "144"), "the key is bound to (user, device)");
    }

    [Test]
    public async Task EAS_Q_05_two_accounts_on_one_iPhone_share_its_DeviceId_but_nothing_else()
    {
        await EasMail.AddBobAsync(Server);
        using var alice = await PhoneAsync("q05sharedphone", "iPhone", "16.1");
        using var bob = new EasDevice(Server, "q05sharedphone", "iPhone", "16.1", user: EasMail.Bob, password: EasMail.BobPassword);
        await bob.ProvisionAsync();
        Assert.That(bob.PolicyKey, Is.Not.EqualTo(alice.PolicyKey), "a policy key per (user, device)");
        var aliceInbox = await EasMail.FolderIdAsync(alice, 2);
        var bobInbox = await EasMail.FolderIdAsync(bob, 2);
        Assert.That(bobInbox, Is.Not.EqualTo(aliceInbox));

        var aliceKey = Key((await alice.PostAsync("Sync", EasMail.SyncRequest(aliceInbox, "0"))).Body!);
        var (_, foreign) = await bob.PostAsync("Sync", EasMail.SyncRequest(aliceInbox, aliceKey, windowSize: 10));
        Assert.That(Status(foreign!), Is.EqualTo("12"), "alice's folder is not bob's, whatever the device");
        Assert.That(Key((await bob.PostAsync("Sync", EasMail.SyncRequest(bobInbox, "0"))).Body!), Is.EqualTo("1"), "bob's own state starts at 1");
        var (_, aliceNext) = await alice.PostAsync("Sync", EasMail.SyncRequest(aliceInbox, aliceKey, windowSize: 10));
        Assert.That(Status(aliceNext!), Is.EqualTo("1"), "alice's state untouched by bob's");
    }

    [Test]
    public async Task EAS_Q_08_a_new_Ping_from_the_device_ends_its_waiting_Ping_at_once()
    {
        using var phone = await PhoneAsync("q08android", "Android", "14.1");
        var inbox = await SyncedInboxAsync(phone);
        var first = phone.PostAsync("Ping", PingRequest(900, inbox));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.That(first.IsCompleted, Is.False);

        using var sameDevice = new EasDevice(Server, "q08android", "Android", "14.1") { PolicyKey = phone.PolicyKey };
        var second = sameDevice.PostAsync("Ping", PingRequest(900, inbox));
        var (_, ended) = await first.WaitAsync(Generous);
        Assert.That(ended!.Element(PingNs + "Status")!.Value, Is.EqualTo("1"), "the old Ping ends long before its 900 s");
        Assert.That(second.IsCompleted, Is.False, "the new one waits in its place");

        await phone.PostAsync("FolderSync", Eas.FolderSync("0"));
        await second.WaitAsync(Generous);
    }

    [Test]
    public async Task EAS_Q_10_a_new_DeviceId_of_the_same_account_gets_the_same_ServerIds()
    {
        using var before = await PhoneAsync("q10outlookrestart1", "WindowsOutlook", "14.0");
        var folder = await FolderWithMessagesAsync(before, "Q10", 3);
        var first = await EasMail.SyncAllAsync(before, folder);

        // Outlook after a restart: another DeviceId, the same mailbox, the same ServerIds (nothing tied to the DeviceId but its sync state).
        using var after = await PhoneAsync("q10outlookrestart2", "WindowsOutlook", "14.0");
        var second = await EasMail.SyncAllAsync(after, folder);
        Assert.That(ServerIds(second), Is.EquivalentTo(ServerIds(first)));
    }

    [Test]
    public async Task EAS_Q_10_with_a_device_cap_a_new_DeviceId_beyond_it_removes_the_least_recently_seen_device()
    {
        await using var server = await EasServer.StartAsync(new Dictionary<string, string> { ["SYNCSERVER__ACTIVESYNC__MAXDEVICESPERACCOUNT"] = "2" });
        using var monday = new EasDevice(server, "q10monday", "Outlook", "14.1");
        await monday.ProvisionAsync();
        using var tuesday = new EasDevice(server, "q10tuesday", "Outlook", "14.1");
        await tuesday.ProvisionAsync();
        using var wednesday = new EasDevice(server, "q10wednesday", "Outlook", "14.1");
        await wednesday.ProvisionAsync();

        var listed = (await server.CliAsync("device", "list", EasServer.User)).Stdout;
        Assert.That((listed.Contains("\tq10monday\t", StringComparison.Ordinal), listed.Contains("\tq10tuesday\t", StringComparison.Ordinal),
            listed.Contains("\tq10wednesday\t", StringComparison.Ordinal)), Is.EqualTo((false, true, true)), listed);
        var (_, folders) = await wednesday.PostAsync("FolderSync", Eas.FolderSync("0"));
        Assert.That(folders!.Element(Eas.Folders + "Status")!.Value, Is.EqualTo("1"));
        await LoggedAsync("removed device q10monday", server);
    }

    [Test]
    public async Task EAS_Q_11_FolderSync_has_one_folder_of_each_default_type_and_only_valid_parents()
    {
        using var phone = await PhoneAsync("q11outlook", "WindowsOutlook", "14.0");
        await FolderWithMessagesAsync(phone, "Q11", 0);
        var (_, folders) = await phone.PostAsync("FolderSync", Eas.FolderSync("0"));
        var adds = folders!.Descendants(Eas.Folders + "Add").Select(a => (Id: Eas.Value(a, Eas.Folders + "ServerId"),
            Parent: Eas.Value(a, Eas.Folders + "ParentId"), Type: Eas.Value(a, Eas.Folders + "Type"))).ToList();

        Assert.That(adds.Select(a => a.Id), Is.Unique);
        foreach (var type in new[] { "2", "3", "4", "5", "6" })
            Assert.That(adds.Count(a => a.Type == type), Is.EqualTo(1), $"default folder type {type}");
        Assert.That(adds.Where(a => a.Parent != "0" && adds.All(p => p.Id != a.Parent)), Is.Empty, "every ParentId is 0 or a listed folder");
    }

    [Test]
    public async Task EAS_Q_16_a_client_resending_its_key_gets_one_item_at_a_time_then_the_broken_item_is_skipped()
    {
        using var phone = await PhoneAsync("q16android", "Android", "14.1");
        var folder = await FolderWithMessagesAsync(phone, "Q16", 5);
        var k1 = Key((await phone.PostAsync("Sync", EasMail.SyncRequest(folder, "0"))).Body!);

        // The whole batch, three times the same (a lost answer is no loop), ...
        var (_, batch) = await phone.PostAsync("Sync", EasMail.SyncRequest(folder, k1, windowSize: 10));
        Assert.That(Subjects(batch!), Has.Count.EqualTo(5));
        for (var i = 0; i < 2; i++)
            Assert.That((await phone.PostAsync("Sync", EasMail.SyncRequest(folder, k1, windowSize: 10))).Body!.ToString(), Is.EqualTo(batch!.ToString()));

        // ... then, asked a fourth time, one item at a time, to find the one the client cannot take.
        var received = new List<string>();
        async Task<string> SyncAsync(string key)
        {
            var (_, answer) = await phone.PostAsync("Sync", EasMail.SyncRequest(folder, key, windowSize: 10));
            received.AddRange(Subjects(answer!));
            Assert.That(Status(answer!), Is.EqualTo("1"));
            return Key(answer!);
        }
        var k2 = await SyncAsync(k1);
        var k3 = await SyncAsync(k2);
        await SyncAsync(k3);              // "Q16 2" breaks the client: it sends k3 again, ...
        await SyncAsync(k3);              // ... and again
        var k4 = await SyncAsync(k3);     // that one item's answer resent twice: it is skipped, the next one comes
        await SyncAsync(k4);
        Assert.That(received, Is.EqualTo(new[] { "Q16 0", "Q16 1", "Q16 2", "Q16 2", "Q16 3", "Q16 4" }));
        await LoggedAsync("keeps refusing item");

        using var imap = await EasMail.ImapAsync(Server);
        var mailbox = await imap.GetFolderAsync("Q16");
        await mailbox.OpenAsync(FolderAccess.ReadOnly);
        Assert.That(mailbox.Count, Is.EqualTo(5), "skipped for this device only, never deleted");
    }

    [Test]
    public async Task EAS_Q_16_an_item_that_cannot_be_converted_is_skipped_and_the_rest_of_the_Sync_goes_on()
    {
        using var phone = await PhoneAsync("q16unreadable", "iPhone", "16.1");
        var folder = await FolderWithMessagesAsync(phone, "Q16 unreadable", 3);
        var blob = Directory.EnumerateFiles(Path.Combine(Server.DataDirectory, "blobs"), "*", SearchOption.AllDirectories)
            .Single(f => File.ReadAllText(f).Contains("Subject: Q16 unreadable 1", StringComparison.Ordinal));
        File.Delete(blob);   // the stored bytes of one message are gone

        var adds = await EasMail.SyncAllAsync(phone, folder);
        Assert.That(adds.Select(a => Eas.Value(a, Email + "Subject")), Is.EqualTo(new[] { "Q16 unreadable 0", "Q16 unreadable 2" }));
        await LoggedAsync("could not be converted");
    }

    [Test]
    public async Task EAS_Q_17_the_local_part_alone_logs_in_as_the_account_of_that_name()
    {
        using var phone = await PhoneAsync("q17iphone", "iPhone", "16.1");
        using var http = Server.NewHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/Microsoft-Server-ActiveSync?Cmd=FolderSync&User=alice&DeviceId=q17iphone&DeviceType=iPhone");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"alice:{EasServer.Password}")));
        request.Headers.Add("MS-ASProtocolVersion", "16.1");
        request.Headers.Add("X-MS-PolicyKey", phone.PolicyKey!.Value.ToString(CultureInfo.InvariantCulture));
        request.Content = EasMail.Wbxml(Eas.FolderSync("0"));
        var response = await http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the same device of the same account: its policy key holds");
    }

    [Test]
    public async Task EAS_Q_18_ServerIds_are_stable_across_a_resync_and_flag_changes()
    {
        using var phone = await PhoneAsync("q18iphone", "iPhone", "16.1");
        var folder = await FolderWithMessagesAsync(phone, "Q18", 3);
        var first = ServerIds(await EasMail.SyncAllAsync(phone, folder));
        using (var imap = await EasMail.ImapAsync(Server))
        {
            var mailbox = await imap.GetFolderAsync("Q18");
            await mailbox.OpenAsync(FolderAccess.ReadWrite);
            await mailbox.AddFlagsAsync(0, MessageFlags.Seen, silent: true);
        }
        Assert.That(ServerIds(await EasMail.SyncAllAsync(phone, folder)), Is.EqualTo(first), "SyncKey 0 again after the first sync ended: the same ids");
    }

    [Test]
    public async Task EAS_Q_20_two_requests_at_once_from_one_device_are_both_answered_without_duplicates()
    {
        using var phone = await PhoneAsync("q20android", "Android", "14.1");
        var (_, folders) = await phone.PostAsync("FolderSync", Eas.FolderSync("0"));
        Assert.That(folders!.Elements().First().Name, Is.EqualTo(Eas.Folders + "Status"), "FolderSync/Status, first and named exactly");
        var folder = await FolderWithMessagesAsync(phone, "Q20", 3);
        var k1 = Key((await phone.PostAsync("Sync", EasMail.SyncRequest(folder, "0"))).Body!);

        var answers = await Task.WhenAll(phone.PostAsync("Sync", EasMail.SyncRequest(folder, k1, windowSize: 10)), phone.PostAsync("Sync", EasMail.SyncRequest(folder, k1, windowSize: 10)));
        Assert.That(answers.Select(a => a.Response.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(answers.Select(a => Key(a.Body!)).Distinct().Count(), Is.EqualTo(1));
        Assert.That(answers.Select(a => string.Join(",", ServerIds(a.Body!.Descendants(AirSync + "Add")))).Distinct().Count(), Is.EqualTo(1));
        var (_, next) = await phone.PostAsync("Sync", EasMail.SyncRequest(folder, Key(answers[0].Body!), windowSize: 10));
        Assert.That(next, Is.Null, "nothing more: no item twice");
    }

    [Test]
    public async Task EAS_Q_21_a_big_Sync_stops_at_the_time_budget_and_answers_MoreAvailable()
    {
        await using var server = await EasServer.StartAsync(new Dictionary<string, string> { ["SYNCSERVER__ACTIVESYNC__SYNCTIMEBUDGETSECONDS"] = "0" });
        using var phone = new EasDevice(server, "q21samsung", "SAMSUNGSMG991B", "14.1");
        await phone.ProvisionAsync();
        using (var imap = await EasMail.ImapAsync(server))
            for (var i = 0; i < 4; i++)
                await imap.Inbox.AppendAsync(Message($"Q21 {i}"));
        var inbox = await EasMail.FolderIdAsync(phone, 2);

        var key = Key((await phone.PostAsync("Sync", EasMail.SyncRequest(inbox, "0"))).Body!);
        var batches = new List<(int Adds, bool More)>();
        bool more;
        do
        {
            var (_, batch) = await phone.PostAsync("Sync", EasMail.SyncRequest(inbox, key, windowSize: 100));
            more = batch!.Descendants(AirSync + "MoreAvailable").Any();
            batches.Add((Subjects(batch).Count, more));
            key = Key(batch);
        }
        while (more);
        Assert.That(batches, Is.EqualTo(new[] { (1, true), (1, true), (1, true), (1, false) }), "a budget of 0 s: one item, then the answer");
    }

    [Test]
    public async Task EAS_Q_22_empty_Supported_a_heartbeat_without_folders_and_the_Outbox_do_not_loop()
    {
        using var phone = await PhoneAsync("q22android", "Android", "14.1");
        var folder = await FolderWithMessagesAsync(phone, "Q22", 1);
        var (_, primed) = await phone.PostAsync("Sync", new XElement(AirSync + "Sync", new XElement(AirSync + "Collections",
            new XElement(AirSync + "Collection", new XElement(AirSync + "SyncKey", "0"), new XElement(AirSync + "CollectionId", folder),
                new XElement(AirSync + "Supported")))));
        Assert.That(Status(primed!), Is.EqualTo("1"), "an LG's empty Supported");

        var (_, outbox) = await phone.PostAsync("Sync", EasMail.SyncRequest("outbox", "0"));
        Assert.That((Status(outbox!), Key(outbox!)), Is.EqualTo(("1", "1")));
        var (_, empty) = await phone.PostAsync("Sync", EasMail.SyncRequest("outbox", "1", windowSize: 10));
        Assert.That(empty, Is.Null, "the Outbox never has anything: no status 12, so no FolderSync loop");

        var held = phone.PostAsync("Sync", new XElement(AirSync + "Sync", new XElement(AirSync + "Collections"),
            new XElement(AirSync + "HeartbeatInterval", 600)));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.That(held.IsCompleted, Is.False, "a heartbeat without folders is held, not answered at once (which would loop)");
        await phone.PostAsync("FolderSync", Eas.FolderSync("0"));
        var (response, body) = await held.WaitAsync(Generous);
        Assert.That((response.StatusCode, body), Is.EqualTo((HttpStatusCode.OK, (XElement?)null)));
    }

    [Test]
    public async Task EAS_Q_25_Importance_is_sent_even_when_the_message_has_none()
    {
        using var phone = await PhoneAsync("q25android", "Android", "12.1");
        var folder = await FolderWithMessagesAsync(phone, "Q25", 1);
        var add = (await EasMail.SyncAllAsync(phone, folder)).Single();
        Assert.That(Eas.Value(add, Email + "Importance"), Is.EqualTo("1"));
    }

    [Test]
    public async Task EAS_Q_27_another_users_failures_from_the_same_address_do_not_lock_a_good_user_out()
    {
        using var phone = await PhoneAsync("q27outlook", "Outlook", "14.1");
        using var http = Server.NewHttpClient();
        // Three Outlook mobile users with stale passwords, retried through the same cloud address: 15 failures from it.
        foreach (var user in new[] { "erin", "frank", "grace" })
            for (var i = 0; i < 5; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post,
                    $"/Microsoft-Server-ActiveSync?Cmd=FolderSync&User={user}&DeviceId=q27{user}&DeviceType=Outlook");
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}@example.org:stale")));
                request.Headers.Add("MS-ASProtocolVersion", "14.1");
                Assert.That((await http.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            }
        var (response, folders) = await phone.PostAsync("FolderSync", Eas.FolderSync("0"));
        Assert.That((response.StatusCode, folders!.Element(Eas.Folders + "Status")!.Value), Is.EqualTo((HttpStatusCode.OK, "1")));
    }

    [Test]
    public async Task EAS_Q_28_Ping_renewals_are_logged_per_device_without_credentials()
    {
        using var phone = await PhoneAsync("q28iphone", "iPhone", "16.1");
        var inbox = await EasMail.FolderIdAsync(phone, 2);
        var (_, answered) = await phone.PostAsync("Ping", PingRequest(480, inbox)).WaitAsync(Generous); // never synced: answers at once
        Assert.That(answered!.Element(PingNs + "Status")!.Value, Is.EqualTo("2"));
        await LoggedAsync($"Ping of {EasServer.User} on device q28iphone (iPhone): heartbeat 480 s");
        Assert.That(Server.Stderr, Does.Not.Contain(EasServer.Password));
    }

    [Test]
    public async Task EAS_HTTP_07_wbxml_answers_carry_their_headers_and_are_gzipped_only_when_asked()
    {
        using var phone = await PhoneAsync("http07", "Android", "14.1");
        var (plain, _) = await phone.PostAsync("FolderSync", Eas.FolderSync("0"));
        Assert.That((plain.Content.Headers.ContentType?.MediaType, plain.Headers.CacheControl?.Private, plain.Content.Headers.ContentEncoding.Count),
            Is.EqualTo(("application/vnd.ms-sync.wbxml", true, 0)));
        Assert.That(plain.Headers.Contains("MS-Server-ActiveSync"), Is.True);

        var (zipped, bytes) = await EasMail.PostRawAsync(Server, phone, "Android", "14.1", "FolderSync", EasMail.Wbxml(Eas.FolderSync("0")), "",
            ("Accept-Encoding", "gzip"));
        Assert.That(zipped.Content.Headers.ContentEncoding, Is.EqualTo(new[] { "gzip" }));
        using var unzipped = new MemoryStream();
        await new System.IO.Compression.GZipStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress).CopyToAsync(unzipped);
        Assert.That(WbxmlDecoder.TryDecode(unzipped.ToArray(), WbxmlLimits.Default, out var folders, out _), Is.True);
        Assert.That(folders!.Element(Eas.Folders + "Status")!.Value, Is.EqualTo("1"));
    }

    [Test]
    public async Task EAS_SYNC_07_more_than_1000_collections_is_status_15()
    {
        using var phone = await PhoneAsync("sync15", "iPhone", "16.1");
        var (_, answer) = await phone.PostAsync("Sync", new XElement(AirSync + "Sync", new XElement(AirSync + "Collections",
            Enumerable.Range(1, 1001).Select(i => new XElement(AirSync + "Collection", new XElement(AirSync + "SyncKey", "0"),
                new XElement(AirSync + "CollectionId", i.ToString(CultureInfo.InvariantCulture)))))));
        Assert.That(answer!.Element(AirSync + "Status")!.Value, Is.EqualTo("15"));
    }

    [Test]
    public async Task EAS_SYNC_12_Class_in_the_collection_and_an_SMS_Options_beside_the_Email_one()
    {
        using var phone = await PhoneAsync("sync12", "Android", "14.1");
        var folder = await FolderWithMessagesAsync(phone, "SYNC12", 1);
        XElement Request(string key) => new(AirSync + "Sync", new XElement(AirSync + "Collections", new XElement(AirSync + "Collection",
            new XElement(AirSync + "Class", "Email"), new XElement(AirSync + "SyncKey", key), new XElement(AirSync + "CollectionId", folder),
            key == "0" ? null : new XElement(AirSync + "GetChanges"),
            new XElement(AirSync + "Options", new XElement(AirSync + "Class", "SMS"),
                new XElement(Base + "BodyPreference", new XElement(Base + "Type", 4))),
            new XElement(AirSync + "Options", new XElement(AirSync + "Class", "Email"),
                new XElement(Base + "BodyPreference", new XElement(Base + "Type", 1))))));
        var key = Key((await phone.PostAsync("Sync", Request("0"))).Body!);
        var (_, batch) = await phone.PostAsync("Sync", Request(key));
        Assert.That(Eas.Value(batch!.Descendants(AirSync + "Add").Single(), Base + "Type"), Is.EqualTo("1"), "the Email Options, not the SMS one");
    }

    /// <summary>Waits for a line in the server's log (written asynchronously), failing after a generous time.</summary>
    private async Task LoggedAsync(string text, EasServer? server = null)
    {
        server ??= Server;
        for (var waited = TimeSpan.Zero; !server.Stderr.Contains(text, StringComparison.Ordinal) && waited < Generous; waited += TimeSpan.FromMilliseconds(100))
            await Task.Delay(100);
        Assert.That(server.Stderr, Does.Contain(text));
    }

    private async Task<EasDevice> PhoneAsync(string deviceId, string deviceType, string version)
    {
        var phone = new EasDevice(Server, deviceId, deviceType, version);
        await phone.ProvisionAsync();
        return phone;
    }

    /// <summary>A new mailbox with <paramref name="count"/> messages "NAME 0", "NAME 1", … made over IMAP; its ServerId.</summary>
    private async Task<string> FolderWithMessagesAsync(EasDevice phone, string name, int count)
    {
        using (var imap = await EasMail.ImapAsync(Server))
        {
            var folder = (await imap.GetFolder(imap.PersonalNamespaces[0]).CreateAsync(name, true))!;
            for (var i = 0; i < count; i++)
                await folder.AppendAsync(Message($"{name} {i}"));
        }
        return await EasMail.FolderIdAsync(phone, 12, name);
    }

    /// <summary>The INBOX synced to its end, so a Ping on it waits.</summary>
    private static async Task<string> SyncedInboxAsync(EasDevice phone)
    {
        var inbox = await EasMail.FolderIdAsync(phone, 2);
        await EasMail.SyncAllAsync(phone, inbox);
        return inbox;
    }

    private static MimeMessage Message(string subject)
        => new([MailboxAddress.Parse(EasMail.Bob)], [MailboxAddress.Parse(EasServer.User)], subject, new TextPart("plain") { Text = "about " + subject });

    private static XElement PingRequest(int heartbeat, string folder)
        => new(PingNs + "Ping", new XElement(PingNs + "HeartbeatInterval", heartbeat),
            new XElement(PingNs + "Folders", new XElement(PingNs + "Folder", new XElement(PingNs + "Id", folder), new XElement(PingNs + "Class", "Email"))));

    private static string Key(XElement answer) => Eas.Value(answer, AirSync + "SyncKey");

    private static string Status(XElement answer) => Eas.Value(answer, AirSync + "Status");

    private static List<string> Subjects(XElement answer) => [.. answer.Descendants(AirSync + "Add").Select(a => Eas.Value(a, Email + "Subject"))];

    private static List<string> ServerIds(IEnumerable<XElement> adds) => [.. adds.Select(a => Eas.Value(a, AirSync + "ServerId"))];
}
