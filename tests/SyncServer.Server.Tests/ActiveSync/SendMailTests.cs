using System.Net;
using System.Net.Http.Headers;
using System.Xml.Linq;
using MailKit;
using MailKit.Net.Imap;
using MimeKit;
using SyncServer.Protocols.ActiveSync.Wbxml;
using SyncServer.Server.Tests.Shared;
using static SyncServer.Server.Tests.ActiveSync.EasMail;

namespace SyncServer.Server.Tests.ActiveSync;

/// <summary>
/// SendMail, SmartReply and SmartForward against the real server (client-requirements EAS-SM-01, -02): the mail
/// reaches a local recipient (read over IMAP as bob) and alice's Sent Items; the original is quoted or forwarded
/// with its attachments; a From that is not alice's is refused and bad requests get their status with nothing sent.
/// </summary>
[NonParallelizable]
public sealed class SendMailTests
{
    private static readonly XNamespace Compose = ActiveSyncNamespaces.ComposeMail;

    private EasServer _server = null!;
    private EasDevice _phone = null!;
    private ImapClient _alice = null!;
    private ImapClient _bob = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await EasServer.StartAsync();
        await AddBobAsync(_server);
        _phone = new EasDevice(_server, "sender", "iPhone", "16.1");
        await _phone.ProvisionAsync();
        _alice = await ImapAsync(_server);
        _bob = await ImapAsync(_server, Bob, BobPassword);
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _alice.Dispose();
        _bob.Dispose();
        _phone.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task EAS_SM_01_SendMail_ReachesTheRecipientAndSentItems_BccOnlyInTheSentCopy_SameClientIdSentOnce()
    {
        var message = new MimeMessage([MailboxAddress.Parse(EasServer.User)], [MailboxAddress.Parse(Bob)], "lunch?", new TextPart("plain") { Text = "At noon?" });
        message.Bcc.Add(MailboxAddress.Parse(EasServer.User));
        var request = new XElement(Compose + "SendMail", new XElement(Compose + "ClientId", "client-1"), new XElement(Compose + "SaveInSentItems"),
            WbxmlOpaque.Element(Compose + "Mime", Bytes(message)));

        var (response, body) = await _phone.PostAsync("SendMail", request);
        Assert.That((response.StatusCode, body), Is.EqualTo((HttpStatusCode.OK, (XElement?)null)), "success is an empty 200");

        var atBob = (await MessagesAsync(_bob.Inbox)).Single(m => m.Subject == "lunch?");
        Assert.That((atBob.TextBody?.Trim(), atBob.Bcc.Count, atBob.Headers.Contains(HeaderId.Bcc)), Is.EqualTo(("At noon?", 0, false)));
        Assert.That((await MessagesAsync(_alice.Inbox)).Count(m => m.Subject == "lunch?"), Is.EqualTo(1), "the Bcc recipient got it");
        await _bob.Inbox.OpenAsync(FolderAccess.ReadOnly);
        using (var raw = new MemoryStream())
        {
            await (await _bob.Inbox.GetStreamAsync(_bob.Inbox.Count - 1, "")).CopyToAsync(raw);
            var bytes = raw.ToArray();
            Assert.That(bytes.Where((b, i) => b == '\n' && (i == 0 || bytes[i - 1] != '\r')), Is.Empty, "the client's LF lines travel as CRLF");
        }
        await _bob.Inbox.CloseAsync();
        var sent = (await MessagesAsync(await SentAsync())).Single(m => m.Subject == "lunch?");
        Assert.That(sent.Bcc.Mailboxes.Select(m => m.Address), Is.EqualTo(new[] { EasServer.User }), "the Sent copy keeps the Bcc");

        var (_, again) = await _phone.PostAsync("SendMail", request);
        Assert.That(Eas.Value(again!, Compose + "Status"), Is.EqualTo("118"), "MessagePreviouslySent");
        Assert.That((await MessagesAsync(_bob.Inbox)).Count(m => m.Subject == "lunch?"), Is.EqualTo(1));
    }

    [Test]
    public async Task EAS_SM_01_SendMail_12_1_RawMimeWithSaveInSent()
    {
        using var old = new EasDevice(_server, "oldphone", "WindowsMail", "12.1");
        await old.ProvisionAsync();
        var message = new MimeMessage([MailboxAddress.Parse(EasServer.User)], [MailboxAddress.Parse(Bob)], "from 12.1", new TextPart("plain") { Text = "raw" });
        var content = new ByteArrayContent(Bytes(message));
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");

        var (response, body) = await PostRawAsync(_server, old, "WindowsMail", "12.1", "SendMail", content, "&SaveInSent=T");
        Assert.That((response.StatusCode, body.Length), Is.EqualTo((HttpStatusCode.OK, 0)));
        Assert.That((await MessagesAsync(_bob.Inbox)).Count(m => m.Subject == "from 12.1"), Is.EqualTo(1));
        Assert.That((await MessagesAsync(await SentAsync())).Count(m => m.Subject == "from 12.1"), Is.EqualTo(1));
    }

    [Test]
    public async Task EAS_SM_02_SmartReply_QuotesTheOriginal_ThreadsIt_AndMarksItAnswered()
    {
        var original = new MimeMessage([MailboxAddress.Parse(Bob)], [MailboxAddress.Parse(EasServer.User)], "question", new TextPart("plain") { Text = "Are you coming?\nSay yes." })
        {
            MessageId = "question@example.org",
        };
        var (inboxId, serverId) = await DeliverToAliceAndSyncAsync(original);
        var reply = new MimeMessage([MailboxAddress.Parse(EasServer.User)], [MailboxAddress.Parse(Bob)], "Re: question", new TextPart("plain") { Text = "Yes!" });

        var (response, _) = await _phone.PostAsync("SmartReply", Smart("SmartReply", reply, inboxId, serverId));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var atBob = (await MessagesAsync(_bob.Inbox)).Single(m => m.Subject == "Re: question");
        Assert.That(atBob.TextBody, Does.StartWith("Yes!").And.Contain("wrote:").And.Contain("> Are you coming?").And.Contain("> Say yes."));
        Assert.That(atBob.InReplyTo, Is.EqualTo("question@example.org"));
        Assert.That((await MessagesAsync(await SentAsync())).Any(m => m.Subject == "Re: question"), Is.True);
        Assert.That(await FlagsAsync("question"), Does.Contain(MessageFlags.Answered.ToString()));
    }

    [Test]
    public async Task EAS_SM_02_SmartForward_KeepsTheOriginalsAttachments_ReplaceMimeSendsOnlyTheClientsMime()
    {
        var pdf = Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray();
        var (inboxId, serverId) = await DeliverToAliceAndSyncAsync(WithAttachment("report", "the report is attached", "report.pdf", pdf));
        var forward = new MimeMessage([MailboxAddress.Parse(EasServer.User)], [MailboxAddress.Parse(Bob)], "Fwd: report", new TextPart("plain") { Text = "FYI" });

        var (response, _) = await _phone.PostAsync("SmartForward", Smart("SmartForward", forward, inboxId, serverId));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var atBob = (await MessagesAsync(_bob.Inbox)).Single(m => m.Subject == "Fwd: report");
        Assert.That(atBob.TextBody, Does.StartWith("FYI").And.Contain("the report is attached"));
        var attachment = atBob.Attachments.OfType<MimePart>().Single();
        using var decoded = new MemoryStream();
        await attachment.Content!.DecodeToAsync(decoded);
        Assert.That((attachment.FileName, decoded.ToArray()), Is.EqualTo(("report.pdf", pdf)));
        Assert.That(await FlagsAsync("report"), Does.Contain("$Forwarded"));

        var replaced = new MimeMessage([MailboxAddress.Parse(EasServer.User)], [MailboxAddress.Parse(Bob)], "Fwd: report, my way", new TextPart("plain") { Text = "mine only" });
        (response, _) = await _phone.PostAsync("SmartForward", Smart("SmartForward", replaced, inboxId, serverId, new XElement(Compose + "ReplaceMime")));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var exact = (await MessagesAsync(_bob.Inbox)).Single(m => m.Subject == "Fwd: report, my way");
        Assert.That((exact.TextBody?.Trim(), exact.Attachments.Count()), Is.EqualTo(("mine only", 0)));
    }

    [Test]
    public async Task SendAsSomeoneElse_AndBadRequests_GetTheirStatus_AndNothingIsSentOrStored()
    {
        var before = (await StoreSnapshot.TakeAsync(_alice), await StoreSnapshot.TakeAsync(_bob));
        XElement SendMail(MimeMessage message) => new(Compose + "SendMail", new XElement(Compose + "ClientId", Guid.NewGuid().ToString("N")),
            new XElement(Compose + "SaveInSentItems"), WbxmlOpaque.Element(Compose + "Mime", Bytes(message)));

        var forged = new MimeMessage([MailboxAddress.Parse("carol@example.org")], [MailboxAddress.Parse(Bob)], "forged", new TextPart("plain") { Text = "not alice" });
        var noRecipient = new MimeMessage([MailboxAddress.Parse(EasServer.User)], Array.Empty<InternetAddress>(), "nobody", new TextPart("plain") { Text = "x" });
        var unknown = new MimeMessage([MailboxAddress.Parse(EasServer.User)], [MailboxAddress.Parse("nobody@example.org")], "lost", new TextPart("plain") { Text = "x" });
        var cases = new (string Command, XElement Request, string Status)[]
        {
            ("SendMail", SendMail(forged), "130"),
            ("SendMail", SendMail(noRecipient), "119"),
            ("SendMail", SendMail(unknown), "116"),
            ("SendMail", new XElement(Compose + "SendMail", new XElement(Compose + "ClientId", "no-mime"), new XElement(Compose + "SaveInSentItems")), "103"),
            ("SmartReply", Smart("SmartReply", forged, "999999", "999999:1"), "150"),
            ("SmartForward", new XElement(Compose + "SmartForward", new XElement(Compose + "Source", new XElement(Compose + "LongId", "not-an-id")),
                WbxmlOpaque.Element(Compose + "Mime", Bytes(unknown))), "150"),
        };
        foreach (var (command, request, status) in cases)
        {
            var (response, answer) = await _phone.PostAsync(command, request);
            Assert.That((response.StatusCode, Eas.Value(answer!, request.Name.Namespace + "Status")), Is.EqualTo((HttpStatusCode.OK, status)), request.ToString());
        }

        using var old = new EasDevice(_server, "oldforger", "WindowsMail", "12.1");
        await old.ProvisionAsync();
        var content = new ByteArrayContent(Bytes(forged));
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        var (refused, _) = await PostRawAsync(_server, old, "WindowsMail", "12.1", "SendMail", content, "&SaveInSent=T");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "12.1 reads failures as HTTP statuses");

        Assert.That((await StoreSnapshot.TakeAsync(_alice), await StoreSnapshot.TakeAsync(_bob)), Is.EqualTo(before));
    }

    private static XElement Smart(string command, MimeMessage message, string folderId, string itemId, XElement? replaceMime = null)
        => new(Compose + command, new XElement(Compose + "ClientId", Guid.NewGuid().ToString("N")),
            new XElement(Compose + "Source", new XElement(Compose + "FolderId", folderId), new XElement(Compose + "ItemId", itemId)),
            new XElement(Compose + "SaveInSentItems"), replaceMime, WbxmlOpaque.Element(Compose + "Mime", Bytes(message)));

    /// <summary>Appends the message to alice's INBOX over IMAP and returns the Inbox's and the message's ServerIds as the phone sees them.</summary>
    private async Task<(string InboxId, string ServerId)> DeliverToAliceAndSyncAsync(MimeMessage message)
    {
        await _alice.Inbox.OpenAsync(FolderAccess.ReadWrite);
        await _alice.Inbox.AppendAsync(message);
        await _alice.Inbox.CloseAsync();
        var inboxId = await FolderIdAsync(_phone, 2);
        return (inboxId, ServerIdOf(await SyncAllAsync(_phone, inboxId), message.Subject!));
    }

    private async Task<IMailFolder> SentAsync() => _alice.GetFolder(SpecialFolder.Sent) ?? await _alice.GetFolderAsync("Sent");

    /// <summary>The flags and keywords of alice's INBOX message with this subject, as IMAP shows them.</summary>
    private async Task<IReadOnlyList<string>> FlagsAsync(string subject)
    {
        await _alice.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var summary = (await _alice.Inbox.FetchAsync(0, -1, MessageSummaryItems.Envelope | MessageSummaryItems.Flags)).Single(s => s.Envelope!.Subject == subject);
        await _alice.Inbox.CloseAsync();
        return [.. summary.Flags!.Value.ToString().Split(", "), .. summary.Keywords];
    }
}
