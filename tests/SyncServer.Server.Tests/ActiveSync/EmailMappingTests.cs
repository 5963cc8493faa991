using System.Text;
using System.Xml.Linq;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;
using SyncServer.Protocols.ActiveSync.Wbxml;
using static SyncServer.Server.Tests.ActiveSync.EasMail;

namespace SyncServer.Server.Tests.ActiveSync;

/// <summary>
/// The e-mail mapping of client-requirements A.5.1 (MS-ASEMAIL) against the real server: what a phone of each
/// version is sent for messages appended or delivered beside it, and the fields a phone may change (Read, Flag,
/// Categories) seen over IMAP with MailKit, and back. Each test has a folder of its own.
/// </summary>
[NonParallelizable]
public sealed class EmailMappingTests
{
    private static readonly XNamespace AirSync = ActiveSyncNamespaces.AirSync;
    private static readonly XNamespace Email = ActiveSyncNamespaces.Email;
    private static readonly XNamespace Email2 = ActiveSyncNamespaces.Email2;
    private static readonly XNamespace Tasks = ActiveSyncNamespaces.Tasks;
    private static readonly XNamespace Base = ActiveSyncNamespaces.AirSyncBase;

    private EasServer _server = null!;
    private ImapClient _imap = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await EasServer.StartAsync();
        await AddBobAsync(_server);
        _imap = await ImapAsync(_server);
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _imap.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task A_5_1_Email2_Conversation_ThreadTopic_Sender_InternetCPID_AreSentFrom14_0_AndNotTo12_1()
    {
        var folder = await FolderAsync("Threads");
        var root = Message("plans", "Shall we?");
        root.MessageId = "root@example.org";
        var reply = Message("Re: AW: plans", "Gern!", "iso-8859-1");
        reply.MessageId = "reply@example.org";
        reply.InReplyTo = "root@example.org";
        reply.References.Add("root@example.org");
        reply.Sender = MailboxAddress.Parse("secretary@example.org");
        var outlook = Message("other topic", "from Outlook");
        outlook.Headers.Add("Thread-Topic", "the topic Outlook named");
        var threadIndex = new byte[27];
        threadIndex[0] = 1;
        for (var i = 1; i < threadIndex.Length; i++)
            threadIndex[i] = (byte)(i * 9);
        outlook.Headers.Add("Thread-Index", Convert.ToBase64String(threadIndex));
        outlook.Headers.Remove(HeaderId.MessageId);
        foreach (var message in new[] { root, reply, outlook })
            await folder.AppendAsync(message);

        using var android = await PhoneAsync("mapping141", "Android", "14.1");
        var adds = await SyncAllAsync(android, await FolderIdAsync(android, 12, "Threads"));
        XElement Of(string subject) => adds.Single(a => Eas.Value(a, Email + "Subject") == subject);
        byte[] Opaque(XElement add, XName name) => WbxmlOpaque.GetBytes(add.Descendants(name).Single()).ToArray();

        var (first, second, third) = (Of("plans"), Of("Re: AW: plans"), Of("other topic"));
        Assert.That(Opaque(first, Email2 + "ConversationId"), Has.Length.EqualTo(16));
        Assert.That(Opaque(second, Email2 + "ConversationId"), Is.EqualTo(Opaque(first, Email2 + "ConversationId")), "one thread, one id");
        Assert.That(Opaque(third, Email2 + "ConversationId"), Is.EqualTo(threadIndex[6..22]), "no Message-ID: the Thread-Index GUID");
        Assert.That(Opaque(third, Email2 + "ConversationIndex"), Is.EqualTo(threadIndex[1..6].Concat(threadIndex[22..]).ToArray()),
            "Thread-Index time bytes and response level, without the GUID");
        Assert.That(Opaque(first, Email2 + "ConversationIndex"), Has.Length.EqualTo(5));
        Assert.That((Eas.Value(first, Email + "ThreadTopic"), Eas.Value(second, Email + "ThreadTopic"), Eas.Value(third, Email + "ThreadTopic")),
            Is.EqualTo(("plans", "plans", "the topic Outlook named")));
        Assert.That((Eas.Value(second, Email + "InternetCPID"), Eas.Value(first, Email + "InternetCPID")), Is.EqualTo(("28591", "65001")));
        Assert.That(Eas.Value(second, Email2 + "Sender"), Is.EqualTo("secretary@example.org"));
        Assert.That(first.Descendants(Email2 + "Sender"), Is.Empty, "no Sender header: no email2:Sender");
        Assert.That((Eas.Value(first, Email2 + "ReceivedAsBcc"), Eas.Value(first, Email + "Importance"), Eas.Value(first, Email + "MessageClass")),
            Is.EqualTo(("0", "1", "IPM.Note")));
        Assert.That(first.Descendants(Email + "Categories").Single().HasElements, Is.False, "an empty Categories when there are none");
        Assert.That(first.Descendants(Email2 + "IsDraft"), Is.Empty, "IsDraft is 16.0+");

        using var outlook120 = await PhoneAsync("mapping121", "WindowsOutlook", "12.1");
        var old = await SyncAllAsync(outlook120, await FolderIdAsync(outlook120, 12, "Threads"));
        Assert.That(old.SelectMany(a => a.Descendants()).Where(e => e.Name.Namespace == Email2 || e.Name == Email + "Categories"), Is.Empty,
            "12.1 gets no Email2 element and no Categories");
        Assert.That(old.Select(a => Eas.Value(a, Email + "Importance")), Has.All.EqualTo("1"), "Importance always sent");

        using var iphone = await PhoneAsync("mapping161", "iPhone", "16.1");
        var newest = await SyncAllAsync(iphone, await FolderIdAsync(iphone, 12, "Threads"));
        Assert.That(newest.Select(a => Eas.Value(a, Email2 + "IsDraft")), Has.All.EqualTo("0"));
    }

    [Test]
    public async Task A_5_1_MessageClass_SmimeSigned_SmimeOpaque_NonDeliveryReport_DeliveryReport()
    {
        var folder = await FolderAsync("Classes");
        await folder.AppendAsync(Raw("signed", """
            Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="b"

            --b
            Content-Type: text/plain

            signed text
            --b
            Content-Type: application/pkcs7-signature; name=smime.p7s

            AAAA
            --b--
            """));
        await folder.AppendAsync(Raw("encrypted", """
            Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m
            Content-Transfer-Encoding: base64

            AAAA
            """));
        await folder.AppendAsync(Raw("bounce", Report("failed")));
        await folder.AppendAsync(Raw("delivered", Report("delivered")));

        using var phone = await PhoneAsync("mappingclasses", "Android", "14.1");
        var adds = await SyncAllAsync(phone, await FolderIdAsync(phone, 12, "Classes"));
        Assert.That(adds.ToDictionary(a => Eas.Value(a, Email + "Subject"), a => Eas.Value(a, Email + "MessageClass")), Is.EquivalentTo(new Dictionary<string, string>
        {
            ["signed"] = "IPM.Note.SMIME.MultipartSigned",
            ["encrypted"] = "IPM.Note.SMIME",
            ["bounce"] = "REPORT.IPM.Note.NDR",
            ["delivered"] = "REPORT.IPM.Note.DR",
        }));
    }

    [Test]
    public async Task A_5_1_Categories_PhoneChangeSetsImapKeywords_ImapKeywordsReachThePhone_EmptyCategoriesClears()
    {
        var folder = await FolderAsync("Labels");
        await folder.AppendAsync(Message("labelled", "x"));
        using var phone = await PhoneAsync("mappingcategories", "Android", "14.1");
        var id = await FolderIdAsync(phone, 12, "Labels");
        var (key, adds) = await InitialSyncAsync(phone, id);
        var serverId = Eas.Value(adds.Single(), AirSync + "ServerId");

        key = await ChangeAsync(phone, id, key, serverId, new XElement(Email + "Categories",
            new XElement(Email + "Category", "Blue Category"), new XElement(Email + "Category", "Work")));
        Assert.That(await KeywordsAsync(folder), Is.EquivalentTo(new[] { "Blue&ACA-Category", "Work" }), "a category is an IMAP keyword, spaces encoded");

        await folder.OpenAsync(FolderAccess.ReadWrite);
        var uid = (await folder.SearchAsync(SearchQuery.All)).Single();
        await folder.AddFlagsAsync(uid, MessageFlags.None, new HashSet<string> { "Urgent", "$MDNSent" }, silent: true);
        await folder.RemoveFlagsAsync(uid, MessageFlags.None, new HashSet<string> { "Work" }, silent: true);
        var (_, changed) = await phone.PostAsync("Sync", SyncRequest(id, key));
        var change = changed!.Descendants(AirSync + "Change").Single();
        Assert.That(change.Descendants(Email + "Category").Select(c => c.Value), Is.EquivalentTo(new[] { "Blue Category", "Urgent" }),
            "IMAP keywords reach the phone; system keywords ($MDNSent) are no category");
        key = Eas.Value(changed, AirSync + "SyncKey");

        await ChangeAsync(phone, id, key, serverId, new XElement(Email + "Categories"));
        Assert.That(await KeywordsAsync(folder), Is.EquivalentTo(new[] { "$MDNSent" }), "an empty Categories removes every category, nothing else");
    }

    [Test]
    public async Task A_5_1_Flag_Status2And1And0_BothWays_DetailsKept_EmptyFlagClears()
    {
        var folder = await FolderAsync("Flags");
        await folder.AppendAsync(Message("follow me up", "x"));
        using var phone = await PhoneAsync("mappingflag", "iPhone", "16.1");
        using var other = await PhoneAsync("mappingflagother", "Android", "14.1");
        var id = await FolderIdAsync(phone, 12, "Flags");
        var (key, adds) = await InitialSyncAsync(phone, id);
        var serverId = Eas.Value(adds.Single(), AirSync + "ServerId");
        Assert.That(adds.Single().Element(AirSync + "ApplicationData")!.Element(Email + "Flag")!.HasElements, Is.False, "no flag: an empty Flag");

        key = await ChangeAsync(phone, id, key, serverId, new XElement(Email + "Flag",
            new XElement(Email + "Status", 2), new XElement(Email + "FlagType", "Call back"),
            new XElement(Tasks + "StartDate", "2026-11-26T00:00:00.000Z"), new XElement(Tasks + "UtcStartDate", "2026-11-25T23:00:00.000Z"),
            new XElement(Tasks + "DueDate", "2026-11-27T00:00:00.000Z"), new XElement(Tasks + "UtcDueDate", "2026-11-26T23:00:00.000Z"),
            new XElement(Tasks + "ReminderSet", 0)));
        Assert.That((await SummaryAsync(folder)).Flags, Is.EqualTo(MessageFlags.Flagged));
        var flag = (await SyncAllAsync(other, id)).Single().Descendants(Email + "Flag").Single();
        Assert.That(flag.Elements().Select(e => $"{e.Name.LocalName}={e.Value}"), Is.EqualTo(new[]
        {
            "Status=2", "FlagType=Call back", "StartDate=2026-11-26T00:00:00.000Z", "DueDate=2026-11-27T00:00:00.000Z",
            "UtcStartDate=2026-11-25T23:00:00.000Z", "UtcDueDate=2026-11-26T23:00:00.000Z", "ReminderSet=0",
        }), "another device gets the flag with its details, in MS-ASEMAIL order");

        key = await ChangeAsync(phone, id, key, serverId, new XElement(Email + "Flag",
            new XElement(Email + "Status", 1), new XElement(Email + "FlagType", "Call back"),
            new XElement(Email + "CompleteTime", "2026-11-26T10:00:00.000Z"), new XElement(Tasks + "DateCompleted", "2026-11-26T10:00:00.000Z")));
        var completed = await SummaryAsync(folder);
        Assert.That((completed.Flags, completed.Keywords), Is.EqualTo((MessageFlags.None, new[] { "$Completed" })), "complete = $Completed without \\Flagged");
        flag = (await SyncAllAsync(other, id)).Single().Descendants(Email + "Flag").Single();
        Assert.That(flag.Elements().Select(e => e.Name.LocalName), Is.EqualTo(new[] { "Status", "FlagType", "DateCompleted", "CompleteTime" }));
        Assert.That(Eas.Value(flag, Email + "Status"), Is.EqualTo("1"));

        key = await ChangeAsync(phone, id, key, serverId, new XElement(Email + "Flag"));
        completed = await SummaryAsync(folder);
        Assert.That((completed.Flags, completed.Keywords), Is.EqualTo((MessageFlags.None, Array.Empty<string>())), "an empty Flag clears");

        await folder.OpenAsync(FolderAccess.ReadWrite);
        await folder.AddFlagsAsync((await folder.SearchAsync(SearchQuery.All)).Single(), MessageFlags.Flagged, silent: true);
        var (_, changed) = await phone.PostAsync("Sync", SyncRequest(id, key));
        flag = changed!.Descendants(AirSync + "Change").Single().Descendants(Email + "Flag").Single();
        Assert.That(flag.Elements().Select(e => $"{e.Name.LocalName}={e.Value}"), Is.EqualTo(new[] { "Status=2", "FlagType=Flag for follow up" }),
            "a flag set over IMAP, with no details from the last client flag");
    }

    [Test]
    public async Task A_5_1_LastVerbExecuted_SmartReplyAndSmartForward_MarkTheOriginalOverImap_AndReachThePhone()
    {
        var folder = await FolderAsync("Verbs");
        await folder.AppendAsync(Message("answer me", "?"));
        await folder.AppendAsync(Message("forward me", "!"));
        await folder.AppendAsync(Message("answered in Thunderbird", "."));
        using var phone = await PhoneAsync("mappingverbs", "Android", "14.1");
        var id = await FolderIdAsync(phone, 12, "Verbs");
        var (key, adds) = await InitialSyncAsync(phone, id);
        Assert.That(adds.SelectMany(a => a.Descendants(Email2 + "LastVerbExecuted")), Is.Empty);

        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var reply = new MimeMessage([MailboxAddress.Parse(EasServer.User)], [MailboxAddress.Parse(Bob)], "Re: answer me", new TextPart("plain") { Text = "yes" });
        Assert.That((await phone.PostAsync("SmartReply", SmartMail("SmartReply", reply, id, ServerIdOf(adds, "answer me")))).Response.IsSuccessStatusCode);
        var forward = new MimeMessage([MailboxAddress.Parse(EasServer.User)], [MailboxAddress.Parse(Bob)], "Fwd: forward me", new TextPart("plain") { Text = "fyi" });
        Assert.That((await phone.PostAsync("SmartForward", SmartMail("SmartForward", forward, id, ServerIdOf(adds, "forward me")))).Response.IsSuccessStatusCode);
        await folder.OpenAsync(FolderAccess.ReadWrite);
        await folder.AddFlagsAsync((await folder.SearchAsync(SearchQuery.SubjectContains("Thunderbird"))).Single(), MessageFlags.Answered, silent: true);

        var flags = (await folder.FetchAsync(0, -1, MessageSummaryItems.Flags | MessageSummaryItems.Envelope))
            .ToDictionary(s => s.Envelope!.Subject!, s => (s.Flags!.Value, s.Keywords.ToArray()));
        Assert.That(flags["answer me"], Is.EqualTo((MessageFlags.Answered, Array.Empty<string>())), "SmartReply sets \\Answered");
        Assert.That(flags["forward me"], Is.EqualTo((MessageFlags.None, new[] { "$Forwarded" })), "SmartForward sets $Forwarded");

        var (_, changed) = await phone.PostAsync("Sync", SyncRequest(id, key));
        var verbs = changed!.Descendants(AirSync + "Change").ToDictionary(c => Subject(adds, Eas.Value(c, AirSync + "ServerId")),
            c => (Eas.Value(c, Email2 + "LastVerbExecuted"), c.Descendants(Email2 + "LastVerbExecutionTime").SingleOrDefault()?.Value));
        Assert.That(verbs.Keys, Is.EquivalentTo(new[] { "answer me", "forward me", "answered in Thunderbird" }));
        Assert.That((verbs["answer me"].Item1, verbs["forward me"].Item1, verbs["answered in Thunderbird"]), Is.EqualTo(("1", "3", ("1", (string?)null))),
            "1 reply, 3 forward; answered over IMAP: reply, with no time");
        Assert.That(DateTimeOffset.Parse(verbs["answer me"].Item2!, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(before));
    }

    [Test]
    public async Task A_5_1_ReceivedAsBcc_OnlyForTheCopyWhoseAddressIsNeitherInToNorInCc()
    {
        using (var smtp = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true })
        {
            await smtp.ConnectAsync("127.0.0.1", _server.SubmissionPort, SecureSocketOptions.StartTls);
            await smtp.AuthenticateAsync(Bob, BobPassword);
            var bcc = new MimeMessage([MailboxAddress.Parse(Bob)], [MailboxAddress.Parse(Bob)], "alice in bcc", new TextPart("plain") { Text = "psst" });
            await smtp.SendAsync(bcc, MailboxAddress.Parse(Bob), [MailboxAddress.Parse(Bob), MailboxAddress.Parse(EasServer.User)]);
            await smtp.SendAsync(Message("alice in to", "hello"));
        }
        using var phone = await PhoneAsync("mappingbcc", "Android", "14.1");
        var adds = await SyncAllAsync(phone, await FolderIdAsync(phone, 2));
        string BccOf(string subject) => Eas.Value(adds.Single(a => Eas.Value(a, Email + "Subject") == subject), Email2 + "ReceivedAsBcc");
        Assert.That((BccOf("alice in bcc"), BccOf("alice in to")), Is.EqualTo(("1", "0")));
    }

    [Test]
    public async Task A_5_1_Drafts16_ChangeEditsTheStoredDraft_UnderTheSameServerId_NewImapUid_AttachmentsAddedAndDeleted()
    {
        using var phone = await PhoneAsync("mappingdrafts", "iPhone", "16.1");
        var draftsId = await FolderIdAsync(phone, 3);
        var (key, _) = await InitialSyncAsync(phone, draftsId);
        var pdf = Enumerable.Range(0, 2000).Select(i => (byte)(i * 13)).ToArray();
        var (_, added) = await phone.PostAsync("Sync", SyncRequest(draftsId, key, new XElement(AirSync + "Commands", new XElement(AirSync + "Add",
            new XElement(AirSync + "ClientId", "draft-a"), new XElement(AirSync + "ApplicationData",
                new XElement(Email + "To", Bob), new XElement(Email2 + "Bcc", "boss@example.org"), new XElement(Email + "Subject", "draft v1"),
                new XElement(Base + "Body", new XElement(Base + "Type", 1), new XElement(Base + "Data", "first words")),
                new XElement(Base + "Attachments", AttachmentAdd("att-1", "plan.pdf", "application/pdf", pdf)))))));
        var addAnswer = added!.Descendants(AirSync + "Responses").Single().Element(AirSync + "Add")!;
        var serverId = Eas.Value(addAnswer, AirSync + "ServerId");
        var pdfReference = Eas.Value(addAnswer.Descendants(Base + "Attachment").Single(a => Eas.Value(a, Base + "ClientId") == "att-1"), Base + "FileReference");
        Assert.That((Eas.Value(addAnswer, AirSync + "Status"), pdfReference), Is.EqualTo(("1", serverId + ":1")), "the attachment's FileReference answers its ClientId");
        key = Eas.Value(added, AirSync + "SyncKey");

        var drafts = _imap.GetFolder(SpecialFolder.Drafts) ?? await _imap.GetFolderAsync("Drafts");
        await drafts.OpenAsync(FolderAccess.ReadOnly);
        var firstUid = (await drafts.SearchAsync(SearchQuery.All)).Single();
        var first = await drafts.GetMessageAsync(firstUid);
        Assert.That((first.Subject, first.TextBody?.Trim(), first.Attachments.OfType<MimePart>().Single().FileName), Is.EqualTo(("draft v1", "first words", "plan.pdf")));

        var notes = Encoding.UTF8.GetBytes("notes for the plan");
        var (_, changed) = await phone.PostAsync("Sync", SyncRequest(draftsId, key, new XElement(AirSync + "Commands", new XElement(AirSync + "Change",
            new XElement(AirSync + "ServerId", serverId), new XElement(AirSync + "ApplicationData",
                new XElement(Email + "Subject", "draft v2"), new XElement(Email + "Cc", EasServer.User),
                new XElement(Base + "Body", new XElement(Base + "Type", 2), new XElement(Base + "Data", "<p>second words</p>")),
                new XElement(Base + "Attachments", new XElement(Base + "Delete", new XElement(Base + "FileReference", pdfReference)),
                    AttachmentAdd("att-2", "notes.txt", "text/plain", notes)))))));
        var changeAnswer = changed!.Descendants(AirSync + "Responses").Single().Element(AirSync + "Change")!;
        Assert.That((Eas.Value(changeAnswer, AirSync + "ServerId"), Eas.Value(changeAnswer, AirSync + "Status")), Is.EqualTo((serverId, "1")),
            "the client's ServerId stays the draft's");
        Assert.That(Eas.Value(changeAnswer.Descendants(Base + "Attachment").Single(), Base + "ClientId"), Is.EqualTo("att-2"));
        Assert.That(changed.Descendants(AirSync + "Commands"), Is.Empty, "the edit is not echoed");

        await drafts.CloseAsync();
        await drafts.OpenAsync(FolderAccess.ReadOnly);
        var uids = await drafts.SearchAsync(SearchQuery.All);
        Assert.That(uids.Single().Id, Is.GreaterThan(firstUid.Id), "an IMAP message never changes under its UID: the edit has a new one");
        var second = await drafts.GetMessageAsync(uids.Single());
        Assert.That((second.Subject, second.HtmlBody?.Trim(), second.To.ToString(), second.Cc.ToString(), second.Bcc.ToString()),
            Is.EqualTo(("draft v2", "<p>second words</p>", Bob, EasServer.User, "boss@example.org")), "what the Change left out stays");
        var attachment = second.Attachments.OfType<MimePart>().Single();
        using var decoded = new MemoryStream();
        await attachment.Content!.DecodeToAsync(decoded);
        Assert.That((attachment.FileName, decoded.ToArray()), Is.EqualTo(("notes.txt", notes)), "plan.pdf deleted, notes.txt added");
        Assert.That((await drafts.FetchAsync(uids, MessageSummaryItems.Flags)).Single().Flags!.Value.HasFlag(MessageFlags.Draft));

        var before = await drafts.GetMessageAsync(uids.Single());
        key = Eas.Value(changed, AirSync + "SyncKey");
        var (_, refused) = await phone.PostAsync("Sync", SyncRequest(draftsId, key, new XElement(AirSync + "Commands", new XElement(AirSync + "Change",
            new XElement(AirSync + "ServerId", serverId), new XElement(AirSync + "ApplicationData",
                new XElement(Email + "Subject", "draft v3"), new XElement(Base + "Body", new XElement(Base + "Type", 3), new XElement(Base + "Data", "{\\rtf1}")))))));
        Assert.That(Eas.Value(refused!.Descendants(AirSync + "Responses").Single(), AirSync + "Status"), Is.EqualTo("6"), "an RTF body is a conversion error");
        await drafts.CloseAsync();
        await drafts.OpenAsync(FolderAccess.ReadOnly);
        Assert.That((await drafts.SearchAsync(SearchQuery.All)).Single(), Is.EqualTo(uids.Single()), "and changes nothing");
        Assert.That((await drafts.GetMessageAsync(uids.Single())).Subject, Is.EqualTo(before.Subject));

        using var other = await PhoneAsync("mappingdraftsother", "iPhone", "16.1");
        var seen = (await SyncAllAsync(other, draftsId)).Single();
        Assert.That((Eas.Value(seen, AirSync + "ServerId"), Eas.Value(seen, Email + "Subject"), Eas.Value(seen, Email2 + "IsDraft"), Eas.Value(seen, Email2 + "Bcc")),
            Is.EqualTo((serverId, "draft v2", "1", "boss@example.org")), "another 16.x device sees the edited draft with its Bcc");
    }

    [Test]
    public async Task EAS_IO_02_ItemOperationsMove_MovesEveryMessageOfTheConversation_AndNotTheOthers()
    {
        var folder = await FolderAsync("Conversation");
        var start = Message("trip", "where to?");
        start.MessageId = "trip@example.org";
        var answer = Message("Re: trip", "the sea");
        answer.MessageId = "answer@example.org";
        answer.InReplyTo = "trip@example.org";
        answer.References.Add("trip@example.org");
        foreach (var message in new[] { start, answer, Message("unrelated", "x") })
            await folder.AppendAsync(message);
        var elsewhere = await FolderAsync("Conversation elsewhere");
        var later = Message("Re: Re: trip", "agreed");
        later.References.Add("trip@example.org");
        later.References.Add("answer@example.org");
        await elsewhere.AppendAsync(later);
        var target = await FolderAsync("Trips");

        using var phone = await PhoneAsync("mappingmove", "WindowsOutlook", "14.0");
        var id = await FolderIdAsync(phone, 12, "Conversation");
        var (key, adds) = await InitialSyncAsync(phone, id);
        var conversation = WbxmlOpaque.GetBytes(adds.Single(a => Eas.Value(a, Email + "Subject") == "trip").Descendants(Email2 + "ConversationId").Single()).ToArray();
        var io = ActiveSyncNamespaces.ItemOperations;
        var (_, moved) = await phone.PostAsync("ItemOperations", new XElement(io + "ItemOperations", new XElement(io + "Move",
            WbxmlOpaque.Element(io + "ConversationId", conversation), new XElement(io + "DstFldId", await FolderIdAsync(phone, 12, "Trips")),
            new XElement(io + "Options", new XElement(io + "MoveAlways")))));
        var result = moved!.Descendants(io + "Move").Single();
        Assert.That((Eas.Value(result, io + "Status"), WbxmlOpaque.GetBytes(result.Element(io + "ConversationId")!).ToArray()), Is.EqualTo(("1", conversation)));

        async Task<string[]> SubjectsAsync(IMailFolder mailbox)
        {
            await mailbox.OpenAsync(FolderAccess.ReadOnly);
            return [.. (await mailbox.FetchAsync(0, -1, MessageSummaryItems.Envelope)).Select(m => m.Envelope!.Subject!)];
        }
        Assert.That(await SubjectsAsync(target), Is.EquivalentTo(new[] { "trip", "Re: trip", "Re: Re: trip" }), "the whole conversation, from every folder");
        Assert.That(await SubjectsAsync(folder), Is.EqualTo(new[] { "unrelated" }));
        var (_, next) = await phone.PostAsync("Sync", SyncRequest(id, key));
        Assert.That(next?.Descendants(AirSync + "Commands") ?? [], Is.Empty, "the moving device is not told of its own move");
    }

    private static XElement AttachmentAdd(string clientId, string name, string contentType, byte[] content)
        => new(Base + "Add", new XElement(Base + "ClientId", clientId), WbxmlOpaque.Element(Base + "Content", content),
            new XElement(Base + "ContentType", contentType), new XElement(Base + "DisplayName", name), new XElement(Base + "Method", 1));

    /// <summary>Sends one client Change of the message and returns the next key (the change is applied, nothing is sent back).</summary>
    private static async Task<string> ChangeAsync(EasDevice phone, string collectionId, string key, string serverId, XElement field)
    {
        var (_, answer) = await phone.PostAsync("Sync", SyncRequest(collectionId, key, new XElement(AirSync + "Commands",
            new XElement(AirSync + "Change", new XElement(AirSync + "ServerId", serverId), new XElement(AirSync + "ApplicationData", field)))));
        Assert.That(Eas.Value(answer!, AirSync + "Status"), Is.EqualTo("1"));
        Assert.That(answer!.Descendants(AirSync + "Commands"), Is.Empty, "the client's own change is not echoed");
        return Eas.Value(answer, AirSync + "SyncKey");
    }

    private async Task<EasDevice> PhoneAsync(string deviceId, string deviceType, string version)
    {
        var phone = new EasDevice(_server, deviceId, deviceType, version);
        await phone.ProvisionAsync();
        return phone;
    }

    private async Task<IMailFolder> FolderAsync(string name)
    {
        var folder = (await _imap.GetFolder(_imap.PersonalNamespaces[0]).CreateAsync(name, true))!;
        await folder.OpenAsync(FolderAccess.ReadWrite);
        return folder;
    }

    private static async Task<IMessageSummary> SummaryAsync(IMailFolder folder)
    {
        await folder.OpenAsync(FolderAccess.ReadOnly);
        return (await folder.FetchAsync(0, -1, MessageSummaryItems.Flags)).Single();
    }

    private static async Task<string[]> KeywordsAsync(IMailFolder folder) => [.. (await SummaryAsync(folder)).Keywords];

    private static string Subject(IEnumerable<XElement> adds, string serverId)
        => Eas.Value(adds.Single(a => Eas.Value(a, AirSync + "ServerId") == serverId), Email + "Subject");

    private static MimeMessage Message(string subject, string text, string charset = "utf-8")
    {
        var body = new TextPart("plain");
        body.SetText(charset, text);
        return new MimeMessage([MailboxAddress.Parse(Bob)], [MailboxAddress.Parse(EasServer.User)], subject, body);
    }

    private static MimeMessage Raw(string subject, string bodyPart)
    {
        var text = $"From: {Bob}\r\nTo: {EasServer.User}\r\nSubject: {subject}\r\nMIME-Version: 1.0\r\n" + bodyPart.ReplaceLineEndings("\r\n") + "\r\n";
        return MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(text)));
    }

    private static string Report(string action) => $"""
        Content-Type: multipart/report; report-type=delivery-status; boundary="r"

        --r
        Content-Type: text/plain

        The message could not be delivered.
        --r
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mail.example.org

        Final-Recipient: rfc822; nobody@example.net
        Action: {action}
        Status: 5.1.1

        --r--
        """;
}
