using System.Xml.Linq;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.Tests.ActiveSync;

/// <summary>
/// FolderCreate / FolderUpdate / FolderDelete and MoveItems against the real server, with IMAP and a second phone as
/// the other views of the same store (client-requirements EAS-FS-03, EAS-MV-01): the phone's own change advances
/// its hierarchy key and is not sent back, the other phone's FolderSync and IMAP LIST see it, and every refusal
/// carries its MS-ASCMD status and changes nothing.
/// </summary>
[NonParallelizable]
public sealed class FolderCommandTests : EasFixture
{
    private static readonly XNamespace F = Eas.Folders;
    private static readonly XNamespace Move = ActiveSyncNamespaces.Move;
    private static readonly XNamespace AirSync = ActiveSyncNamespaces.AirSync;
    private static readonly XNamespace Email = ActiveSyncNamespaces.Email;

    [Test]
    public async Task EAS_FS_03_FolderCreateUpdateDelete_AdvanceTheKey_AreNotEchoed_AndReachImapAndAnotherPhone()
    {
        using var phone = await PhoneAsync("folderphone");
        using var other = await PhoneAsync("otherphone");
        var (_, initial) = await phone.PostAsync("FolderSync", Eas.FolderSync("0"));
        var key = Value(initial!, F + "SyncKey");
        var (_, otherInitial) = await other.PostAsync("FolderSync", Eas.FolderSync("0"));
        var otherKey = Value(otherInitial!, F + "SyncKey");
        var inbox = ServerIdOfType(initial!, "2");

        var (_, created) = await phone.PostAsync("FolderCreate", Create(key, "0", "Projects"));
        Assert.That(Value(created!, F + "Status"), Is.EqualTo("1"));
        var projects = Value(created!, F + "ServerId");
        var afterCreate = Value(created!, F + "SyncKey");
        Assert.That(afterCreate, Is.Not.EqualTo(key), "a new hierarchy SyncKey");
        var (_, child) = await phone.PostAsync("FolderCreate", Create(afterCreate, inbox, "Receipts"));
        var receipts = Value(child!, F + "ServerId");
        key = Value(child!, F + "SyncKey");

        var (_, own) = await phone.PostAsync("FolderSync", Eas.FolderSync(key));
        Assert.That((Value(own!, F + "Status"), Value(own!, F + "Count")), Is.EqualTo(("1", "0")), "the phone's own folders are not sent back");
        Assert.That(await ImapListAsync(), Does.Contain("Projects").And.Contain("INBOX/Receipts"));
        var (_, seen) = await other.PostAsync("FolderSync", Eas.FolderSync(otherKey));
        Assert.That(seen!.Descendants(F + "Add").Select(a => (Value(a, F + "DisplayName"), Value(a, F + "ParentId"), Value(a, F + "Type"))),
            Is.EquivalentTo(new[] { ("Projects", "0", "12"), ("Receipts", inbox, "12") }));
        otherKey = Value(seen!, F + "SyncKey");

        var (_, renamed) = await phone.PostAsync("FolderUpdate", Update(key, receipts, projects, "Invoices"));
        Assert.That(Value(renamed!, F + "Status"), Is.EqualTo("1"));
        key = Value(renamed!, F + "SyncKey");
        Assert.That(await ImapListAsync(), Does.Contain("Projects/Invoices").And.Not.Contain("INBOX/Receipts"));
        var (_, update) = await other.PostAsync("FolderSync", Eas.FolderSync(otherKey));
        var changed = update!.Descendants(F + "Update").Single();
        Assert.That((Value(changed, F + "ServerId"), Value(changed, F + "ParentId"), Value(changed, F + "DisplayName")),
            Is.EqualTo((receipts, projects, "Invoices")), "same ServerId, new parent and name");
        otherKey = Value(update!, F + "SyncKey");

        var (_, deleted) = await phone.PostAsync("FolderDelete", Delete(key, projects));
        Assert.That(Value(deleted!, F + "Status"), Is.EqualTo("1"));
        key = Value(deleted!, F + "SyncKey");
        Assert.That(await ImapListAsync(), Does.Not.Contain("Projects").And.Not.Contain("Projects/Invoices"));
        var (_, gone) = await other.PostAsync("FolderSync", Eas.FolderSync(otherKey));
        Assert.That(gone!.Descendants(F + "Delete").Select(d => Value(d, F + "ServerId")), Is.EquivalentTo(new[] { projects, receipts }));
        var (_, quiet) = await phone.PostAsync("FolderSync", Eas.FolderSync(key));
        Assert.That(Value(quiet!, F + "Count"), Is.EqualTo("0"));
    }

    [Test]
    public async Task EAS_FS_03_Refusals_CarryTheirStatus_AndChangeNothing()
    {
        using var phone = await PhoneAsync("refusedphone");
        var (_, initial) = await phone.PostAsync("FolderSync", Eas.FolderSync("0"));
        var key = Value(initial!, F + "SyncKey");
        var inbox = ServerIdOfType(initial!, "2");
        var (_, made) = await phone.PostAsync("FolderCreate", Create(key, "0", "Keep"));
        key = Value(made!, F + "SyncKey");
        var keep = Value(made!, F + "ServerId");
        var before = await ImapListAsync();

        async Task<string> StatusAsync(string command, XElement body)
        {
            var (_, answer) = await phone.PostAsync(command, body);
            Assert.That(answer!.Element(F + "SyncKey"), Is.Null, $"{command}: no SyncKey in a refusal");
            return Value(answer!, F + "Status");
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await StatusAsync("FolderCreate", Create(key, "0", "keep")), Is.EqualTo("2"), "exists (case-insensitively)");
            Assert.That(await StatusAsync("FolderCreate", Create(key, "outbox", "Nope")), Is.EqualTo("3"), "under the Outbox");
            Assert.That(await StatusAsync("FolderCreate", Create(key, "999999", "Nope")), Is.EqualTo("5"), "no such parent");
            Assert.That(await StatusAsync("FolderCreate", Create("4711", "0", "Nope")), Is.EqualTo("9"), "not the current key");
            Assert.That(await StatusAsync("FolderCreate", Create(key, "0", "a/b")), Is.EqualTo("10"), "a '/' would be hierarchy to IMAP");
            Assert.That(await StatusAsync("FolderCreate", Create(key, "0", "Cal", type: "13")), Is.EqualTo("10"), "calendars are not served yet");
            Assert.That(await StatusAsync("FolderCreate", new XElement(F + "FolderCreate", new XElement(F + "DisplayName", "x"))), Is.EqualTo("10"));
            Assert.That(await StatusAsync("FolderUpdate", Update(key, inbox, "0", "Renamed")), Is.EqualTo("2"), "the Inbox is special");
            Assert.That(await StatusAsync("FolderUpdate", Update(key, keep, "0", "INBOX")), Is.EqualTo("2"), "the name is taken");
            Assert.That(await StatusAsync("FolderUpdate", Update(key, "999999", "0", "x")), Is.EqualTo("4"));
            Assert.That(await StatusAsync("FolderUpdate", Update(key, keep, keep, "x")), Is.EqualTo("5"), "not below itself");
            Assert.That(await StatusAsync("FolderUpdate", Update("1", keep, "0", "x")), Is.EqualTo("9"));
            Assert.That(await StatusAsync("FolderDelete", Delete(key, inbox)), Is.EqualTo("3"));
            Assert.That(await StatusAsync("FolderDelete", Delete(key, "outbox")), Is.EqualTo("3"));
            Assert.That(await StatusAsync("FolderDelete", Delete(key, "999999")), Is.EqualTo("4"));
            Assert.That(await StatusAsync("FolderDelete", Delete("x", keep)), Is.EqualTo("10"));
        });
        Assert.That(await ImapListAsync(), Is.EqualTo(before));
        var (_, after) = await phone.PostAsync("FolderSync", Eas.FolderSync(key));
        Assert.That(Value(after!, F + "Count"), Is.EqualTo("0"), "the key is still the current one");
    }

    [Test]
    public async Task EAS_MV_01_MoveItems_MovesThroughTheStore_DstMsgIdKeepsTheItem_ImapAndAnotherPhoneSeeIt_TheMovingPhoneIsNotToldAgain()
    {
        using var imap = await ImapAsync();
        var archive = (await imap.GetFolder(imap.PersonalNamespaces[0]).CreateAsync("MoveTarget", true))!;
        await imap.Inbox.OpenAsync(FolderAccess.ReadWrite);
        await imap.Inbox.AppendAsync(new MimeMessage([MailboxAddress.Parse("bob@example.org")], [MailboxAddress.Parse(EasServer.User)], "move me",
            new TextPart("plain") { Text = "to the archive" }));
        await imap.Inbox.CloseAsync();

        using var phone = await PhoneAsync("movephone");
        var (_, folders) = await phone.PostAsync("FolderSync", Eas.FolderSync("0"));
        var inbox = ServerIdOfType(folders!, "2");
        var target = Value(folders!.Descendants(F + "Add").Single(a => Value(a, F + "DisplayName") == "MoveTarget"), F + "ServerId");
        var listed = await InitialSyncAsync(phone, inbox);
        var inboxKey = Value(listed, AirSync + "SyncKey");
        var targetKey = Value(await InitialSyncAsync(phone, target), AirSync + "SyncKey");
        var message = Value(listed!.Descendants(AirSync + "Add").Single(a => Value(a, Email + "Subject") == "move me"), AirSync + "ServerId");
        using var other = await PhoneAsync("movewitness");
        await other.PostAsync("FolderSync", Eas.FolderSync("0"));
        var otherInboxKey = Value(await InitialSyncAsync(other, inbox), AirSync + "SyncKey");
        var otherTargetKey = Value(await InitialSyncAsync(other, target), AirSync + "SyncKey");

        XElement Moves(params (string Src, string From, string To)[] moves) => new(Move + "MoveItems", moves.Select(m => new XElement(Move + "Move",
            new XElement(Move + "SrcMsgId", m.Src), new XElement(Move + "SrcFldId", m.From), new XElement(Move + "DstFldId", m.To))));
        var (_, refused) = await phone.PostAsync("MoveItems", Moves((message, inbox, inbox), (message, target, inbox), (message, inbox, "999999"),
            ("999999:1", inbox, target)));
        Assert.That(refused!.Elements(Move + "Response").Select(r => Value(r, Move + "Status")), Is.EqualTo(new[] { "4", "1", "2", "1" }));
        Assert.That(refused.Descendants(Move + "DstMsgId"), Is.Empty);

        var (_, moved) = await phone.PostAsync("MoveItems", Moves((message, inbox, target)));
        var response = moved!.Element(Move + "Response")!;
        Assert.That((Value(response, Move + "SrcMsgId"), Value(response, Move + "Status")), Is.EqualTo((message, "3")));
        var dstMsgId = Value(response, Move + "DstMsgId");
        Assert.That(dstMsgId, Is.EqualTo(target + message[message.IndexOf(':')..]), "the item keeps its identity in the new folder");

        await archive.OpenAsync(FolderAccess.ReadOnly);
        Assert.That((await archive.FetchAsync(0, -1, MessageSummaryItems.Envelope)).Select(s => s.Envelope!.Subject), Is.EqualTo(new[] { "move me" }));
        var (_, fromInbox) = await other.PostAsync("Sync", EasMail.SyncRequest(inbox, otherInboxKey));
        Assert.That(fromInbox!.Descendants(AirSync + "Delete").Select(d => Value(d, AirSync + "ServerId")), Is.EqualTo(new[] { message }));
        var (_, intoTarget) = await other.PostAsync("Sync", EasMail.SyncRequest(target, otherTargetKey));
        Assert.That(intoTarget!.Descendants(AirSync + "Add").Select(a => Value(a, AirSync + "ServerId")), Is.EqualTo(new[] { dstMsgId }));
        foreach (var (folder, key) in new[] { (inbox, inboxKey), (target, targetKey) })
        {
            var (_, mine) = await phone.PostAsync("Sync", EasMail.SyncRequest(folder, key));
            Assert.That(mine?.Descendants(AirSync + "Commands") ?? [], Is.Empty, "the moving phone already knows (no duplicate)");
        }

        var (_, again) = await phone.PostAsync("MoveItems", Moves((message, inbox, target)));
        Assert.That(Value(again!, Move + "Status"), Is.EqualTo("1"), "already moved out of the source folder");
    }

    private async Task<EasDevice> PhoneAsync(string deviceId)
    {
        var phone = new EasDevice(Server, deviceId, "iPhone", "16.1");
        await phone.ProvisionAsync();
        return phone;
    }

    /// <summary>SyncKey 0, then the first GetChanges: the folder's items as they are now.</summary>
    private static async Task<XElement> InitialSyncAsync(EasDevice phone, string collectionId)
    {
        var (_, primed) = await phone.PostAsync("Sync", EasMail.SyncRequest(collectionId, "0"));
        var (_, synced) = await phone.PostAsync("Sync", EasMail.SyncRequest(collectionId, Value(primed!, AirSync + "SyncKey")));
        return synced!;
    }

    private async Task<ImapClient> ImapAsync()
    {
        var imap = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await imap.ConnectAsync("127.0.0.1", Server.ImapsPort, SecureSocketOptions.SslOnConnect);
        await imap.AuthenticateAsync(EasServer.User, EasServer.Password);
        return imap;
    }

    private async Task<IReadOnlyList<string>> ImapListAsync()
    {
        using var imap = await ImapAsync();
        return (await imap.GetFoldersAsync(imap.PersonalNamespaces[0])).Select(f => f.FullName).Order(StringComparer.Ordinal).ToList();
    }

    private static XElement Create(string syncKey, string parentId, string name, string type = "12")
        => new(F + "FolderCreate", new XElement(F + "SyncKey", syncKey), new XElement(F + "ParentId", parentId),
            new XElement(F + "DisplayName", name), new XElement(F + "Type", type));

    private static XElement Update(string syncKey, string serverId, string parentId, string name)
        => new(F + "FolderUpdate", new XElement(F + "SyncKey", syncKey), new XElement(F + "ServerId", serverId),
            new XElement(F + "ParentId", parentId), new XElement(F + "DisplayName", name));

    private static XElement Delete(string syncKey, string serverId)
        => new(F + "FolderDelete", new XElement(F + "SyncKey", syncKey), new XElement(F + "ServerId", serverId));

    private static string ServerIdOfType(XElement folderSync, string type)
        => Value(folderSync.Descendants(F + "Add").Single(a => Value(a, F + "Type") == type), F + "ServerId");

    private static string Value(XElement root, XName name) => Eas.Value(root, name);
}
