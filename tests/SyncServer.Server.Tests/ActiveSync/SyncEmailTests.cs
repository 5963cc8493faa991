using System.Xml.Linq;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.Tests.ActiveSync;

/// <summary>
/// Sync of the Email class against the real server, with IMAP beside it as the other door to the same mailbox
/// (client-requirements A.3.3): batches with MoreAvailable, the same answer for a repeated key, IMAP changes
/// reaching the phone, the phone's Read/Flag/Delete reaching IMAP and never echoed back.
/// </summary>
[NonParallelizable]
public sealed class SyncEmailTests
{
    private static readonly XNamespace AirSync = ActiveSyncNamespaces.AirSync;
    private static readonly XNamespace Email = ActiveSyncNamespaces.Email;
    private static readonly XNamespace Base = ActiveSyncNamespaces.AirSyncBase;

    private EasServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await EasServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task EAS_SYNC_Batches_MoreAvailable_RepeatedKeyGetsTheSameItems_ThenImapChangesArriveAsChangeAndDelete()
    {
        using var imap = await ImapAsync();
        var inbox = imap.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        for (var i = 0; i < 25; i++)
            await inbox.AppendAsync(Message($"message {i}", "Hello from the test " + i));
        using var phone = new EasDevice(_server, "syncbatches", "iPhone", "16.1");
        await phone.ProvisionAsync();
        var inboxId = await InboxIdAsync(phone);

        var (_, primed) = await phone.PostAsync("Sync", SyncRequest(inboxId, "0", windowSize: null));
        var key = Value(primed!, AirSync + "SyncKey");
        Assert.That(primed!.Descendants(AirSync + "Commands"), Is.Empty);

        var serverIds = new List<string>();
        var batches = new List<(int Adds, bool More)>();
        string? previousKey = null;
        XElement? lastBatch = null;
        while (true)
        {
            var (_, batch) = await phone.PostAsync("Sync", SyncRequest(inboxId, key, windowSize: 10));
            var adds = batch!.Descendants(AirSync + "Add").ToList();
            serverIds.AddRange(adds.Select(a => Value(a, AirSync + "ServerId")));
            var more = batch.Descendants(AirSync + "MoreAvailable").Any();
            batches.Add((adds.Count, more));
            (previousKey, key, lastBatch) = (key, Value(batch, AirSync + "SyncKey"), batch);
            if (!more)
                break;
        }
        Assert.That(batches, Is.EqualTo(new[] { (10, true), (10, true), (5, false) }));
        Assert.That(serverIds.Distinct().Count(), Is.EqualTo(25));

        for (var i = 0; i < 2; i++)
        {
            var (_, repeated) = await phone.PostAsync("Sync", SyncRequest(inboxId, previousKey!, windowSize: 10));
            Assert.That(repeated!.ToString(), Is.EqualTo(lastBatch!.ToString()), "a resent request gets the same answer");
        }

        await inbox.AddFlagsAsync(0, MessageFlags.Seen, silent: true);
        await inbox.AddFlagsAsync(1, MessageFlags.Deleted, silent: true);
        await inbox.ExpungeAsync();
        var (_, changed) = await phone.PostAsync("Sync", SyncRequest(inboxId, key, windowSize: 10));
        var change = changed!.Descendants(AirSync + "Change").Single();
        Assert.That((Value(change, AirSync + "ServerId"), Value(change, Email + "Read")), Is.EqualTo((serverIds[0], "1")));
        Assert.That(Value(changed.Descendants(AirSync + "Delete").Single(), AirSync + "ServerId"), Is.EqualTo(serverIds[1]));

        var (_, unknown) = await phone.PostAsync("Sync", SyncRequest(inboxId, "4711", windowSize: 10));
        Assert.That(Value(unknown!, AirSync + "Status"), Is.EqualTo("3"));
    }

    [Test]
    public async Task EAS_SYNC_ClientReadFlagAndDelete_ReachImap_AndAreNotEchoedBack()
    {
        using var imap = await ImapAsync();
        var inbox = imap.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        foreach (var uid in await inbox.SearchAsync(SearchQuery.All))
            await inbox.AddFlagsAsync(uid, MessageFlags.Deleted, silent: true);
        await inbox.ExpungeAsync();
        await inbox.AppendAsync(Message("to be read", "read me"));
        await inbox.AppendAsync(Message("to be deleted", "delete me"));

        using var phone = new EasDevice(_server, "syncclientchanges", "Android", "14.1");
        await phone.ProvisionAsync();
        var inboxId = await InboxIdAsync(phone);
        var (_, primed) = await phone.PostAsync("Sync", SyncRequest(inboxId, "0", null));
        var (_, initial) = await phone.PostAsync("Sync", SyncRequest(inboxId, Value(primed!, AirSync + "SyncKey"), 50));
        var ids = initial!.Descendants(AirSync + "Add").ToDictionary(a => Value(a, Email + "Subject"), a => Value(a, AirSync + "ServerId"));

        var commands = new XElement(AirSync + "Commands",
            new XElement(AirSync + "Change", new XElement(AirSync + "ServerId", ids["to be read"]), new XElement(AirSync + "ApplicationData",
                new XElement(Email + "Read", 1), new XElement(Email + "Flag", new XElement(Email + "Status", 2)))),
            new XElement(AirSync + "Delete", new XElement(AirSync + "ServerId", ids["to be deleted"])));
        var (_, answer) = await phone.PostAsync("Sync", SyncRequest(inboxId, Value(initial, AirSync + "SyncKey"), 50, commands));
        Assert.That(Value(answer!, AirSync + "Status"), Is.EqualTo("1"));
        Assert.That(answer!.Descendants(AirSync + "Commands"), Is.Empty, "the client's own changes are not sent back");

        await inbox.CloseAsync();
        await inbox.OpenAsync(FolderAccess.ReadOnly);
        var summaries = await inbox.FetchAsync(0, -1, MessageSummaryItems.Flags | MessageSummaryItems.Envelope);
        Assert.That(summaries.Select(s => (s.Envelope!.Subject, s.Flags!.Value)), Is.EqualTo(new[] { ("to be read", MessageFlags.Seen | MessageFlags.Flagged) }));
        var trash = imap.GetFolder(SpecialFolder.Trash) ?? await imap.GetFolderAsync("Trash");
        await trash.OpenAsync(FolderAccess.ReadOnly);
        Assert.That((await trash.FetchAsync(0, -1, MessageSummaryItems.Envelope)).Select(s => s.Envelope!.Subject), Does.Contain("to be deleted"));
    }

    [Test]
    public async Task EAS_SYNC_BodyPreference_PlainTextTruncated_AndMimeIsTheStoredBytes()
    {
        using var imap = await ImapAsync();
        var drafts = imap.GetFolder(SpecialFolder.Drafts) ?? await imap.GetFolderAsync("Drafts");
        await drafts.OpenAsync(FolderAccess.ReadWrite);
        await drafts.AppendAsync(Message("long one", "Grüße aus Köln, this body is longer than twenty bytes"));
        using var phone = new EasDevice(_server, "syncbodies", "iPhone", "16.1");
        await phone.ProvisionAsync();
        var (_, folders) = await phone.PostAsync("FolderSync", Eas.FolderSync("0"));
        var draftsId = Value(folders!.Descendants(Eas.Folders + "Add").Single(a => Value(a, Eas.Folders + "Type") == "3"), Eas.Folders + "ServerId");

        async Task<XElement> BodyAsync(XElement options)
        {
            var (_, primed) = await phone.PostAsync("Sync", SyncRequest(draftsId, "0", null));
            var (_, synced) = await phone.PostAsync("Sync", SyncRequest(draftsId, Value(primed!, AirSync + "SyncKey"), 10, options: options));
            return synced!.Descendants(Base + "Body").Single();
        }

        var plain = await BodyAsync(new XElement(AirSync + "Options",
            new XElement(Base + "BodyPreference", new XElement(Base + "Type", 1), new XElement(Base + "TruncationSize", 5))));
        Assert.That((Value(plain, Base + "Type"), Value(plain, Base + "Truncated"), Value(plain, Base + "Data")), Is.EqualTo(("1", "1", "Grü")), "5 bytes: the next character (ß) would not fit whole");

        var mime = await BodyAsync(new XElement(AirSync + "Options", new XElement(AirSync + "MIMESupport", 2),
            new XElement(Base + "BodyPreference", new XElement(Base + "Type", 4))));
        var stored = await drafts.GetStreamAsync(0, "");
        using var expected = new MemoryStream();
        await stored.CopyToAsync(expected);
        Assert.That(WbxmlOpaque.GetBytes(mime.Element(Base + "Data")!).ToArray(), Is.EqualTo(expected.ToArray()));
    }

    [Test]
    public async Task EAS_GIE_01_GetItemEstimate_CountsWhatTheNextSyncSends_WithoutMovingTheKey()
    {
        using var imap = await ImapAsync();
        var folder = (await imap.GetFolder(imap.PersonalNamespaces[0]).CreateAsync("Estimates", true))!;
        await folder.OpenAsync(FolderAccess.ReadWrite);
        for (var i = 0; i < 3; i++)
            await folder.AppendAsync(Message($"estimate {i}", "x"));
        using var phone = new EasDevice(_server, "estimator", "Android", "14.1");
        await phone.ProvisionAsync();
        var (_, folders) = await phone.PostAsync("FolderSync", Eas.FolderSync("0"));
        var id = Value(folders!.Descendants(Eas.Folders + "Add").Single(a => Value(a, Eas.Folders + "DisplayName") == "Estimates"), Eas.Folders + "ServerId");
        XNamespace gie = ActiveSyncNamespaces.GetItemEstimate;
        XElement Estimate(string collectionId, string syncKey) => new(gie + "GetItemEstimate", new XElement(gie + "Collections",
            new XElement(gie + "Collection", new XElement(AirSync + "SyncKey", syncKey), new XElement(gie + "CollectionId", collectionId))));

        var (_, unprimed) = await phone.PostAsync("GetItemEstimate", Estimate(id, "0"));
        Assert.That(Value(unprimed!, gie + "Status"), Is.EqualTo("3"));
        var (_, primed) = await phone.PostAsync("Sync", SyncRequest(id, "0", null));
        var key = Value(primed!, AirSync + "SyncKey");
        var (_, estimate) = await phone.PostAsync("GetItemEstimate", Estimate(id, key));
        Assert.That((Value(estimate!, gie + "Status"), Value(estimate!, gie + "Estimate")), Is.EqualTo(("1", "3")));

        var (_, synced) = await phone.PostAsync("Sync", SyncRequest(id, key, 10));
        Assert.That(synced!.Descendants(AirSync + "Add").Count(), Is.EqualTo(3), "the estimate did not move the key");
        var (_, after) = await phone.PostAsync("GetItemEstimate", Estimate(id, Value(synced, AirSync + "SyncKey")));
        Assert.That(Value(after!, gie + "Estimate"), Is.EqualTo("0"));
        var (_, unknown) = await phone.PostAsync("GetItemEstimate", Estimate("999999", key));
        Assert.That(Value(unknown!, gie + "Status"), Is.EqualTo("2"));
    }

    private async Task<ImapClient> ImapAsync()
    {
        var imap = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await imap.ConnectAsync("127.0.0.1", _server.ImapsPort, SecureSocketOptions.SslOnConnect);
        await imap.AuthenticateAsync(EasServer.User, EasServer.Password);
        return imap;
    }

    private static async Task<string> InboxIdAsync(EasDevice phone)
    {
        var (_, folders) = await phone.PostAsync("FolderSync", Eas.FolderSync("0"));
        return Value(folders!.Descendants(Eas.Folders + "Add").Single(a => Value(a, Eas.Folders + "Type") == "2"), Eas.Folders + "ServerId");
    }

    private static XElement SyncRequest(string collectionId, string syncKey, int? windowSize, XElement? commands = null, XElement? options = null)
        => new(AirSync + "Sync", new XElement(AirSync + "Collections", new XElement(AirSync + "Collection",
            new XElement(AirSync + "SyncKey", syncKey),
            new XElement(AirSync + "CollectionId", collectionId),
            syncKey == "0" ? null : new XElement(AirSync + "GetChanges"),
            windowSize is { } size ? new XElement(AirSync + "WindowSize", size) : null,
            options,
            commands)));

    private static MimeMessage Message(string subject, string text)
        => new([MailboxAddress.Parse("bob@example.org")], [MailboxAddress.Parse(EasServer.User)], subject, new TextPart("plain") { Text = text });

    private static string Value(XElement root, XName name) => Eas.Value(root, name);
}
