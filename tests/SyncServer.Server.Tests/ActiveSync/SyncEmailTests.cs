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
public sealed class SyncEmailTests : EasFixture
{
    private static readonly XNamespace AirSync = ActiveSyncNamespaces.AirSync;
    private static readonly XNamespace Email = ActiveSyncNamespaces.Email;
    private static readonly XNamespace Base = ActiveSyncNamespaces.AirSyncBase;

    [Test]
    public async Task EAS_SYNC_Batches_MoreAvailable_RepeatedKeyGetsTheSameItems_ThenImapChangesArriveAsChangeAndDelete()
    {
        using var imap = await ImapAsync();
        var inbox = imap.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        for (var i = 0; i < 25; i++)
            await inbox.AppendAsync(Message($"message {i}", "Hello from the test " + i));
        using var phone = new EasDevice(Server, "syncbatches", "iPhone", "16.1");
        await phone.ProvisionAsync();
        var inboxId = await InboxIdAsync(phone);

        var (_, primed) = await phone.PostAsync("Sync", EasMail.SyncRequest(inboxId, "0"));
        var key = Value(primed!, AirSync + "SyncKey");
        Assert.That(primed!.Descendants(AirSync + "Commands"), Is.Empty);

        var serverIds = new List<string>();
        var batches = new List<(int Adds, bool More)>();
        string? previousKey = null;
        XElement? lastBatch = null;
        while (true)
        {
            var (_, batch) = await phone.PostAsync("Sync", EasMail.SyncRequest(inboxId, key, windowSize: 10));
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
            var (_, repeated) = await phone.PostAsync("Sync", EasMail.SyncRequest(inboxId, previousKey!, windowSize: 10));
            Assert.That(repeated!.ToString(), Is.EqualTo(lastBatch!.ToString()), "a resent request gets the same answer");
        }

        await inbox.AddFlagsAsync(0, MessageFlags.Seen, silent: true);
        await inbox.AddFlagsAsync(1, MessageFlags.Deleted, silent: true);
        await inbox.ExpungeAsync();
        var (_, changed) = await phone.PostAsync("Sync", EasMail.SyncRequest(inboxId, key, windowSize: 10));
        var change = changed!.Descendants(AirSync + "Change").Single();
        Assert.That((Value(change, AirSync + "ServerId"), Value(change, Email + "Read")), Is.EqualTo((serverIds[0], "1")));
        Assert.That(Value(changed.Descendants(AirSync + "Delete").Single(), AirSync + "ServerId"), Is.EqualTo(serverIds[1]));

        var (_, unknown) = await phone.PostAsync("Sync", EasMail.SyncRequest(inboxId, "4711", windowSize: 10));
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

        using var phone = new EasDevice(Server, "syncclientchanges", "Android", "14.1");
        await phone.ProvisionAsync();
        var inboxId = await InboxIdAsync(phone);
        var (_, primed) = await phone.PostAsync("Sync", EasMail.SyncRequest(inboxId, "0"));
        var (_, initial) = await phone.PostAsync("Sync", EasMail.SyncRequest(inboxId, Value(primed!, AirSync + "SyncKey"), windowSize: 50));
        var ids = initial!.Descendants(AirSync + "Add").ToDictionary(a => Value(a, Email + "Subject"), a => Value(a, AirSync + "ServerId"));

        var commands = new XElement(AirSync + "Commands",
            new XElement(AirSync + "Change", new XElement(AirSync + "ServerId", ids["to be read"]), new XElement(AirSync + "ApplicationData",
                new XElement(Email + "Read", 1), new XElement(Email + "Flag", new XElement(Email + "Status", 2)))),
            new XElement(AirSync + "Delete", new XElement(AirSync + "ServerId", ids["to be deleted"])));
        var (_, answer) = await phone.PostAsync("Sync", EasMail.SyncRequest(inboxId, Value(initial, AirSync + "SyncKey"), commands: commands, windowSize: 50));
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
        using var phone = new EasDevice(Server, "syncbodies", "iPhone", "16.1");
        await phone.ProvisionAsync();
        var (_, folders) = await phone.PostAsync("FolderSync", Eas.FolderSync("0"));
        var draftsId = Value(folders!.Descendants(Eas.Folders + "Add").Single(a => Value(a, Eas.Folders + "Type") == "3"), Eas.Folders + "ServerId");

        async Task<XElement> BodyAsync(XElement options)
        {
            var (_, primed) = await phone.PostAsync("Sync", EasMail.SyncRequest(draftsId, "0"));
            var (_, synced) = await phone.PostAsync("Sync", EasMail.SyncRequest(draftsId, Value(primed!, AirSync + "SyncKey"), options: options, windowSize: 10));
            return synced!.Descendants(AirSync + "Add").Single(a => Value(a, Email + "Subject") == "long one").Descendants(Base + "Body").Single();
        }

        var plain = await BodyAsync(new XElement(AirSync + "Options",
            new XElement(Base + "BodyPreference", new XElement(Base + "Type", 1), new XElement(Base + "TruncationSize", 5))));
        Assert.That((Value(plain, Base + "Type"), Value(plain, Base + "Truncated"), Value(plain, Base + "Data")), Is.EqualTo(("1", "1", "Grü")), "5 bytes: the next character (ß) would not fit whole");

        var mime = await BodyAsync(new XElement(AirSync + "Options", new XElement(AirSync + "MIMESupport", 2),
            new XElement(Base + "BodyPreference", new XElement(Base + "Type", 4))));
        var stored = await drafts.GetStreamAsync((await drafts.SearchAsync(SearchQuery.SubjectContains("long one"))).Single(), "");
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
        using var phone = new EasDevice(Server, "estimator", "Android", "14.1");
        await phone.ProvisionAsync();
        var (_, folders) = await phone.PostAsync("FolderSync", Eas.FolderSync("0"));
        var id = Value(folders!.Descendants(Eas.Folders + "Add").Single(a => Value(a, Eas.Folders + "DisplayName") == "Estimates"), Eas.Folders + "ServerId");
        XNamespace gie = ActiveSyncNamespaces.GetItemEstimate;
        XElement Estimate(string collectionId, string syncKey) => new(gie + "GetItemEstimate", new XElement(gie + "Collections",
            new XElement(gie + "Collection", new XElement(AirSync + "SyncKey", syncKey), new XElement(gie + "CollectionId", collectionId))));

        var (_, unprimed) = await phone.PostAsync("GetItemEstimate", Estimate(id, "0"));
        Assert.That(Value(unprimed!, gie + "Status"), Is.EqualTo("3"));
        var (_, primed) = await phone.PostAsync("Sync", EasMail.SyncRequest(id, "0"));
        var key = Value(primed!, AirSync + "SyncKey");
        var (_, estimate) = await phone.PostAsync("GetItemEstimate", Estimate(id, key));
        Assert.That((Value(estimate!, gie + "Status"), Value(estimate!, gie + "Estimate")), Is.EqualTo(("1", "3")));

        var (_, synced) = await phone.PostAsync("Sync", EasMail.SyncRequest(id, key, windowSize: 10));
        Assert.That(synced!.Descendants(AirSync + "Add").Count(), Is.EqualTo(3), "the estimate did not move the key");
        var (_, after) = await phone.PostAsync("GetItemEstimate", Estimate(id, Value(synced, AirSync + "SyncKey")));
        Assert.That(Value(after!, gie + "Estimate"), Is.EqualTo("0"));
        var (_, unknown) = await phone.PostAsync("GetItemEstimate", Estimate("999999", key));
        Assert.That(Value(unknown!, gie + "Status"), Is.EqualTo("2"));
    }

    [Test]
    public async Task EAS_SYNC_08_EmptyRequestRepeatsTheLastOne_PartialCompletesIt_WithoutARememberedRequestStatus13()
    {
        using var phone = new EasDevice(Server, "syncempty", "iPhone", "16.1");
        await phone.ProvisionAsync();
        var (_, unknown) = await phone.PostAsync("Sync", null);
        Assert.That(Value(unknown!, AirSync + "Status"), Is.EqualTo("13"), "nothing remembered yet");
        var (_, partialFirst) = await phone.PostAsync("Sync", new XElement(AirSync + "Sync", new XElement(AirSync + "Partial")));
        Assert.That(Value(partialFirst!, AirSync + "Status"), Is.EqualTo("13"));

        var folderId = await OwnFolderAsync(phone, "Repeated");
        var key = await SyncToTheEndAsync(phone, folderId);
        var (nothing, none) = await phone.PostAsync("Sync", EasMail.SyncRequest(folderId, key, windowSize: 10));
        Assert.That((nothing.StatusCode, none), Is.EqualTo((System.Net.HttpStatusCode.OK, (XElement?)null)), "nothing new: the empty answer");

        using var imap = await ImapAsync();
        await (await imap.GetFolderAsync("Repeated")).AppendAsync(Message("after the empty answer", "x"));
        var (_, repeated) = await phone.PostAsync("Sync", null);
        Assert.That(Value(repeated!.Descendants(AirSync + "Add").Single(), Email + "Subject"), Is.EqualTo("after the empty answer"));
        key = Value(repeated, AirSync + "SyncKey");

        var draftsId = await FolderIdAsync(phone, "3");
        var (_, primed) = await phone.PostAsync("Sync", new XElement(AirSync + "Sync", new XElement(AirSync + "Collections",
            new XElement(AirSync + "Collection", new XElement(AirSync + "SyncKey", "0"), new XElement(AirSync + "CollectionId", draftsId))),
            new XElement(AirSync + "Partial")));
        Assert.That(primed!.Descendants(AirSync + "Collection").Select(c => Value(c, AirSync + "CollectionId")), Is.EqualTo(new[] { draftsId, folderId }),
            "the Partial request lists Drafts; the other folder comes from the remembered request, at its current key");
        Assert.That(primed.Descendants(AirSync + "Collection").Last().Element(AirSync + "SyncKey")!.Value, Is.EqualTo(key));
    }

    [Test]
    public async Task EAS_SYNC_09_WaitAndHeartbeat_Bounds_AHeldSyncWakesOnAnImapChange_AnotherRequestEndsIt()
    {
        using var phone = new EasDevice(Server, "syncwait", "Android", "14.1");
        await phone.ProvisionAsync();
        var folderId = await OwnFolderAsync(phone, "Held");
        var key = await SyncToTheEndAsync(phone, folderId);
        XElement Held(string name, int value) => new(AirSync + "Sync", EasMail.SyncRequest(folderId, key, windowSize: 10).Elements(), new XElement(AirSync + name, value));

        foreach (var (name, value, limit) in new[] { ("HeartbeatInterval", 30, "60"), ("HeartbeatInterval", 3600, "3540"), ("Wait", 0, "1"), ("Wait", 60, "59") })
        {
            var (_, refused) = await phone.PostAsync("Sync", Held(name, value));
            Assert.That((refused!.Element(AirSync + "Status")?.Value, refused.Element(AirSync + "Limit")?.Value), Is.EqualTo(("14", limit)), $"{name} {value}");
        }
        var bothAsked = Held("Wait", 5);
        bothAsked.Add(new XElement(AirSync + "HeartbeatInterval", 300));
        var (_, both) = await phone.PostAsync("Sync", bothAsked);
        Assert.That(both!.Element(AirSync + "Status")?.Value, Is.EqualTo("4"));

        var held = phone.PostAsync("Sync", Held("HeartbeatInterval", 480));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.That(held.IsCompleted, Is.False, "nothing new: the Sync waits");
        using (var imap = await ImapAsync())
            await (await imap.GetFolderAsync("Held")).AppendAsync(Message("wakes the held sync", "x"));
        var (_, woken) = await held.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.That(Value(woken!.Descendants(AirSync + "Add").Single(), Email + "Subject"), Is.EqualTo("wakes the held sync"));
        key = Value(woken, AirSync + "SyncKey");

        var again = phone.PostAsync("Sync", new XElement(AirSync + "Sync", EasMail.SyncRequest(folderId, key, windowSize: 10).Elements(), new XElement(AirSync + "Wait", 5)));
        await Task.Delay(TimeSpan.FromSeconds(1));
        await phone.PostAsync("Ping", null);
        var (ended, body) = await again.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.That((ended.StatusCode, body), Is.EqualTo((System.Net.HttpStatusCode.OK, (XElement?)null)), "another request ends the held Sync with the empty answer");
    }

    [Test]
    public async Task EAS_SYNC_04_FilterType_KeepsTheWindowOfDateReceived_ANarrowerOneSoftDeletes_AWiderOneAdds()
    {
        using var imap = await ImapAsync();
        var folder = (await imap.GetFolder(imap.PersonalNamespaces[0]).CreateAsync("Filtered", true))!;
        await folder.OpenAsync(FolderAccess.ReadWrite);
        var now = DateTimeOffset.UtcNow;
        foreach (var (subject, age) in new[] { ("today", TimeSpan.FromHours(1)), ("two days", TimeSpan.FromDays(2)), ("ten days", TimeSpan.FromDays(10)), ("a year", TimeSpan.FromDays(365)) })
            await folder.AppendAsync(new AppendRequest(Message(subject, "x")) { InternalDate = now - age });
        using var phone = new EasDevice(Server, "syncfilter", "iPhone", "16.1");
        await phone.ProvisionAsync();
        var id = await FolderIdAsync(phone, "12", "Filtered");
        XElement Filter(int type) => new(AirSync + "Options", new XElement(AirSync + "FilterType", type));

        var (_, primed) = await phone.PostAsync("Sync", EasMail.SyncRequest(id, "0", options: Filter(3)));
        var (_, week) = await phone.PostAsync("Sync", EasMail.SyncRequest(id, Value(primed!, AirSync + "SyncKey"), options: Filter(3), windowSize: 10));
        var ids = week!.Descendants(AirSync + "Add").ToDictionary(a => Value(a, Email + "Subject"), a => Value(a, AirSync + "ServerId"));
        Assert.That(ids.Keys, Is.EquivalentTo(new[] { "today", "two days" }), "FilterType 3: one week");

        var (_, day) = await phone.PostAsync("Sync", EasMail.SyncRequest(id, Value(week, AirSync + "SyncKey"), options: Filter(1), windowSize: 10));
        Assert.That(day!.Descendants(AirSync + "SoftDelete").Select(d => Value(d, AirSync + "ServerId")), Is.EqualTo(new[] { ids["two days"] }));
        Assert.That(day.Descendants(AirSync + "Add"), Is.Empty);

        var (_, all) = await phone.PostAsync("Sync", EasMail.SyncRequest(id, Value(day, AirSync + "SyncKey"), options: Filter(0), windowSize: 10));
        Assert.That(all!.Descendants(AirSync + "Add").Select(a => Value(a, Email + "Subject")), Is.EquivalentTo(new[] { "two days", "ten days", "a year" }));
        Assert.That(all.Descendants(AirSync + "SoftDelete"), Is.Empty);

        var (_, later) = await phone.PostAsync("Sync", EasMail.SyncRequest(id, Value(all, AirSync + "SyncKey"), windowSize: 10));
        Assert.That(later, Is.Null, "Options left out keep FilterType 0: nothing more to send");
        var (_, bad) = await phone.PostAsync("Sync", EasMail.SyncRequest(id, Value(all, AirSync + "SyncKey"), options: Filter(9), windowSize: 10));
        Assert.That(Value(bad!, AirSync + "Status"), Is.EqualTo("4"));
    }

    [Test]
    public async Task EAS_SYNC_02_06_ClientAddOfADraft_SentTwiceCreatesOneItem_ElsewhereStatus6_UnknownServerIdStatus8()
    {
        using var phone = new EasDevice(Server, "syncadds", "iPhone", "16.1");
        await phone.ProvisionAsync();
        var draftsId = await FolderIdAsync(phone, "3");
        var inboxId = await FolderIdAsync(phone, "2");
        var (_, primed) = await phone.PostAsync("Sync", EasMail.SyncRequest(draftsId, "0"));
        var key = await SyncToTheEndAsync(phone, draftsId, Value(primed!, AirSync + "SyncKey"));
        var add = new XElement(AirSync + "Commands", new XElement(AirSync + "Add", new XElement(AirSync + "ClientId", "draft-1"),
            new XElement(AirSync + "ApplicationData",
                new XElement(Email + "To", "\"Bob\" <bob@example.org>"), new XElement(Email + "Subject", "a draft from the phone"),
                new XElement(Base + "Body", new XElement(Base + "Type", 1), new XElement(Base + "Data", "Hello Bob")))),
            new XElement(AirSync + "Change", new XElement(AirSync + "ServerId", draftsId + ":999999"),
                new XElement(AirSync + "ApplicationData", new XElement(Email + "Read", 1))));

        var (_, first) = await phone.PostAsync("Sync", EasMail.SyncRequest(draftsId, key, commands: add, windowSize: 10));
        var (_, resent) = await phone.PostAsync("Sync", EasMail.SyncRequest(draftsId, key, commands: add, windowSize: 10));
        var (_, third) = await phone.PostAsync("Sync", EasMail.SyncRequest(draftsId, key, commands: add, windowSize: 10));
        foreach (var answer in new[] { first!, resent!, third! })
        {
            var response = answer.Descendants(AirSync + "Responses").Single();
            Assert.That(response.Element(AirSync + "Add")!.Elements().Select(e => e.Value),
                Is.EqualTo(new[] { "draft-1", Value(first!, AirSync + "ServerId"), "1" }), "the same ServerId each time");
            Assert.That(Value(response.Element(AirSync + "Change")!, AirSync + "Status"), Is.EqualTo("8"));
            Assert.That(answer.Descendants(AirSync + "Commands"), Is.Empty, "the client's own Add is not sent back");
        }
        using var imap = await ImapAsync();
        var drafts = imap.GetFolder(SpecialFolder.Drafts) ?? await imap.GetFolderAsync("Drafts");
        await drafts.OpenAsync(FolderAccess.ReadOnly);
        var found = await drafts.SearchAsync(SearchQuery.SubjectContains("a draft from the phone"));
        Assert.That(found, Has.Count.EqualTo(1), "a client Add sent three times creates one item");
        var stored = await drafts.GetMessageAsync(found[0]);
        Assert.That((stored.To.ToString(), stored.TextBody!.Trim(), stored.From.Mailboxes.Single().Address), Is.EqualTo(("\"Bob\" <bob@example.org>", "Hello Bob", EasServer.User)));
        Assert.That((await drafts.FetchAsync([found[0]], MessageSummaryItems.Flags)).Single().Flags!.Value.HasFlag(MessageFlags.Draft));

        var (_, inboxPrimed) = await phone.PostAsync("Sync", EasMail.SyncRequest(inboxId, "0"));
        var inboxKey = await SyncToTheEndAsync(phone, inboxId, Value(inboxPrimed!, AirSync + "SyncKey"));
        var (_, refused) = await phone.PostAsync("Sync", EasMail.SyncRequest(inboxId, inboxKey, commands: new XElement(AirSync + "Commands", add.Elements().First()), windowSize: 10));
        Assert.That(Value(refused!.Descendants(AirSync + "Responses").Single(), AirSync + "Status"), Is.EqualTo("6"), "e-mail Adds only into Drafts");
    }

    [Test]
    public async Task EAS_SYNC_03_GetChanges0_AppliesTheClientsChange_SendsNoServerChanges()
    {
        using var imap = await ImapAsync();
        var folder = (await imap.GetFolder(imap.PersonalNamespaces[0]).CreateAsync("NoChanges", true))!;
        await folder.OpenAsync(FolderAccess.ReadWrite);
        await folder.AppendAsync(Message("first", "x"));
        using var phone = new EasDevice(Server, "syncgetchanges", "Android", "14.1");
        await phone.ProvisionAsync();
        var id = await FolderIdAsync(phone, "12", "NoChanges");
        var (_, primed) = await phone.PostAsync("Sync", EasMail.SyncRequest(id, "0"));
        var (_, initial) = await phone.PostAsync("Sync", EasMail.SyncRequest(id, Value(primed!, AirSync + "SyncKey"), windowSize: 10));
        var serverId = Value(initial!.Descendants(AirSync + "Add").Single(), AirSync + "ServerId");
        await folder.AppendAsync(Message("second", "x"));

        var request = EasMail.SyncRequest(id, Value(initial, AirSync + "SyncKey"), commands: new XElement(AirSync + "Commands",
            new XElement(AirSync + "Change", new XElement(AirSync + "ServerId", serverId), new XElement(AirSync + "ApplicationData", new XElement(Email + "Read", 1)))), windowSize: 10);
        request.Descendants(AirSync + "GetChanges").Single().Value = "0";
        var (_, answer) = await phone.PostAsync("Sync", request);
        Assert.That(Value(answer!, AirSync + "SyncKey"), Is.Not.EqualTo(Value(initial, AirSync + "SyncKey")));
        Assert.That(answer!.Descendants(AirSync + "Commands"), Is.Empty);
        Assert.That((await folder.FetchAsync(0, 0, MessageSummaryItems.Flags)).Single().Flags!.Value.HasFlag(MessageFlags.Seen), Is.True);

        var (_, next) = await phone.PostAsync("Sync", EasMail.SyncRequest(id, Value(answer, AirSync + "SyncKey"), windowSize: 10));
        Assert.That(next!.Descendants(AirSync + "Add").Select(a => Value(a, Email + "Subject")), Is.EqualTo(new[] { "second" }), "the Read change is not echoed");
    }

    /// <summary>Sync GetChanges until MoreAvailable is gone; returns the last key.</summary>
    private static async Task<string> SyncToTheEndAsync(EasDevice phone, string collectionId, string? key = null)
    {
        if (key is null)
        {
            var (_, primed) = await phone.PostAsync("Sync", EasMail.SyncRequest(collectionId, "0"));
            key = Value(primed!, AirSync + "SyncKey");
        }
        while (true)
        {
            var (_, batch) = await phone.PostAsync("Sync", EasMail.SyncRequest(collectionId, key, windowSize: 100));
            if (batch is null)
                return key;
            key = Value(batch, AirSync + "SyncKey");
            if (!batch.Descendants(AirSync + "MoreAvailable").Any())
                return key;
        }
    }

    /// <summary>A new folder of its own for a test (the fixture's tests share one account).</summary>
    private async Task<string> OwnFolderAsync(EasDevice phone, string name)
    {
        using (var imap = await ImapAsync())
            await imap.GetFolder(imap.PersonalNamespaces[0]).CreateAsync(name, true);
        return await FolderIdAsync(phone, "12", name);
    }

    private static async Task<string> FolderIdAsync(EasDevice phone, string type, string? name = null)
    {
        var (_, folders) = await phone.PostAsync("FolderSync", Eas.FolderSync("0"));
        return Value(folders!.Descendants(Eas.Folders + "Add").Single(a => Value(a, Eas.Folders + "Type") == type
            && (name is null || Value(a, Eas.Folders + "DisplayName") == name)), Eas.Folders + "ServerId");
    }

    private async Task<ImapClient> ImapAsync()
    {
        var imap = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await imap.ConnectAsync("127.0.0.1", Server.ImapsPort, SecureSocketOptions.SslOnConnect);
        await imap.AuthenticateAsync(EasServer.User, EasServer.Password);
        return imap;
    }

    private static async Task<string> InboxIdAsync(EasDevice phone)
    {
        var (_, folders) = await phone.PostAsync("FolderSync", Eas.FolderSync("0"));
        return Value(folders!.Descendants(Eas.Folders + "Add").Single(a => Value(a, Eas.Folders + "Type") == "2"), Eas.Folders + "ServerId");
    }

    private static MimeMessage Message(string subject, string text)
        => new([MailboxAddress.Parse("bob@example.org")], [MailboxAddress.Parse(EasServer.User)], subject, new TextPart("plain") { Text = text });

    private static string Value(XElement root, XName name) => Eas.Value(root, name);
}
