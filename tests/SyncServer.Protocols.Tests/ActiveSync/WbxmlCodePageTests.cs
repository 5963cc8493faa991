using System.Xml.Linq;
using SyncServer.Protocols.ActiveSync.Wbxml;
using static SyncServer.Protocols.Tests.ActiveSync.WbxmlTesting;
using Ns = SyncServer.Protocols.ActiveSync.Wbxml.ActiveSyncNamespaces;

namespace SyncServer.Protocols.Tests.ActiveSync;

public class WbxmlCodePageTests
{
    [Test]
    public void There_are_26_pages_numbered_by_position()
    {
        Assert.That(WbxmlCodePages.All, Has.Count.EqualTo(26));
        Assert.That(WbxmlCodePages.All.Select(p => (int)p.Number), Is.EqualTo(Enumerable.Range(0, 26)));
        Assert.That(WbxmlCodePages.All.Select(p => p.Namespace).Distinct().Count(), Is.EqualTo(26));
    }

    [Test]
    public void Tokens_and_names_are_unique_per_page_and_in_range()
    {
        foreach (var page in WbxmlCodePages.All)
        {
            Assert.That(page.Tags, Is.Not.Empty, page.Namespace.NamespaceName);
            Assert.That(page.Tags.Select(t => t.Token), Is.Unique.And.Ordered, page.Namespace.NamespaceName);
            Assert.That(page.Tags.Select(t => t.Name), Is.Unique, page.Namespace.NamespaceName);
            Assert.That(page.Tags.Select(t => (int)t.Token), Is.All.InRange(0x05, 0x3F), page.Namespace.NamespaceName);
        }
    }

    // Spot checks against the tables of MS-ASWBXML 2.1.2.1.1–26 (and the MS-ASCMD/MS-ASPROV examples that
    // quote the bytes), covering every page.
    [TestCase(0, "AirSync:", "Sync", 0x05)]
    [TestCase(0, "AirSync:", "Responses", 0x06)]
    [TestCase(0, "AirSync:", "SyncKey", 0x0B)]
    [TestCase(0, "AirSync:", "ServerId", 0x0D)]
    [TestCase(0, "AirSync:", "Collection", 0x0F)]
    [TestCase(0, "AirSync:", "CollectionId", 0x12)]
    [TestCase(0, "AirSync:", "GetChanges", 0x13)]
    [TestCase(0, "AirSync:", "MoreAvailable", 0x14)]
    [TestCase(0, "AirSync:", "WindowSize", 0x15)]
    [TestCase(0, "AirSync:", "Collections", 0x1C)]
    [TestCase(0, "AirSync:", "ApplicationData", 0x1D)]
    [TestCase(0, "AirSync:", "HeartbeatInterval", 0x29)]
    [TestCase(1, "Contacts:", "Email1Address", 0x1B)]
    [TestCase(1, "Contacts:", "WeightedRank", 0x3E)]
    [TestCase(2, "Email:", "DateReceived", 0x0F)]
    [TestCase(2, "Email:", "Subject", 0x14)]
    [TestCase(2, "Email:", "Read", 0x15)]
    [TestCase(2, "Email:", "Flag", 0x3A)]
    [TestCase(2, "Email:", "DisallowNewTimeProposal", 0x3F)]
    [TestCase(3, "AirNotify:", "Notify", 0x05)]
    [TestCase(4, "Calendar:", "Timezone", 0x05)]
    [TestCase(4, "Calendar:", "UID", 0x28)]
    [TestCase(4, "Calendar:", "ClientUid", 0x3C)]
    [TestCase(5, "Move:", "MoveItems", 0x05)]
    [TestCase(5, "Move:", "DstMsgId", 0x0C)]
    [TestCase(6, "GetItemEstimate:", "Estimate", 0x0C)]
    [TestCase(7, "FolderHierarchy:", "DisplayName", 0x07)]
    [TestCase(7, "FolderHierarchy:", "Changes", 0x0E)]
    [TestCase(7, "FolderHierarchy:", "FolderSync", 0x16)]
    [TestCase(7, "FolderHierarchy:", "Count", 0x17)]
    [TestCase(8, "MeetingResponse:", "UserResponse", 0x0C)]
    [TestCase(9, "Tasks:", "Subject", 0x20)]
    [TestCase(10, "ResolveRecipients:", "CertificateCount", 0x15)]
    [TestCase(11, "ValidateCert:", "CheckCRL", 0x09)]
    [TestCase(12, "Contacts2:", "NickName", 0x0D)]
    [TestCase(13, "Ping:", "Ping", 0x05)]
    [TestCase(13, "Ping:", "HeartbeatInterval", 0x08)]
    [TestCase(13, "Ping:", "MaxFolders", 0x0D)]
    [TestCase(14, "Provision:", "Provision", 0x05)]
    [TestCase(14, "Provision:", "PolicyKey", 0x09)]
    [TestCase(14, "Provision:", "RemoteWipe", 0x0C)]
    [TestCase(14, "Provision:", "EASProvisionDoc", 0x0D)]
    [TestCase(14, "Provision:", "DevicePasswordEnabled", 0x0E)]
    [TestCase(14, "Provision:", "AccountOnlyRemoteWipe", 0x3B)]
    [TestCase(15, "Search:", "Store", 0x07)]
    [TestCase(16, "GAL:", "EmailAddress", 0x0F)]
    [TestCase(17, "AirSyncBase:", "BodyPreference", 0x05)]
    [TestCase(17, "AirSyncBase:", "Body", 0x0A)]
    [TestCase(17, "AirSyncBase:", "FileReference", 0x11)]
    [TestCase(17, "AirSyncBase:", "InstanceId", 0x2D)]
    [TestCase(18, "Settings:", "DeviceInformation", 0x16)]
    [TestCase(18, "Settings:", "UserInformation", 0x1D)]
    [TestCase(19, "DocumentLibrary:", "LinkId", 0x05)]
    [TestCase(20, "ItemOperations:", "EmptyFolderContents", 0x12)]
    [TestCase(21, "ComposeMail:", "SendMail", 0x05)]
    [TestCase(21, "ComposeMail:", "Mime", 0x10)]
    [TestCase(22, "Email2:", "ConversationId", 0x09)]
    [TestCase(22, "Email2:", "Send", 0x17)]
    [TestCase(23, "Notes:", "Category", 0x09)]
    [TestCase(24, "RightsManagement:", "RightsManagementSupport", 0x05)]
    [TestCase(25, "Find:", "Find", 0x05)]
    [TestCase(25, "Find:", "MaxPictures", 0x20)]
    public void Token_matches_the_spec(int page, string ns, string name, int token)
    {
        var codePage = WbxmlCodePages.All[page];
        Assert.That(codePage.Namespace.NamespaceName, Is.EqualTo(ns));
        Assert.That(codePage.Tokens[codePage.Namespace + name], Is.EqualTo(token));
        Assert.That(codePage.TryGetName(token, out var xname) ? xname : null, Is.EqualTo(codePage.Namespace + name));
        Assert.That(WbxmlCodePages.ByName[codePage.Namespace + name], Is.EqualTo(((byte)page, (byte)token)));
    }

    // Whole tables as MS-ASWBXML quotes them: 2.1.2.1.13 "Code Page 12: Contacts2" (learn.microsoft.com
    // …/ms-aswbxml/8a8a25ff-57ae-47b0-a409-8fb66f729d3c), 2.1.2.1.26 "Code Page 25: Find" (…/2b4c3367-8352-45b6-a5f4-
    // 5ca3db0e33e0) and 2.1.2.1.11 "Code Page 10: ResolveRecipients" (…/746ac1de-93d0-44b7-8f27-0d7c7ce4316e), where
    // the stored copy of the page lost the token cells after CertificateCount ("?": the name and its place only).
    [TestCase(12, "05 CustomerId, 06 GovernmentId, 07 IMAddress, 08 IMAddress2, 09 IMAddress3, 0A ManagerName, " +
        "0B CompanyMainPhone, 0C AccountName, 0D NickName, 0E MMS")]
    [TestCase(25, "05 Find, 06 SearchId, 07 ExecuteSearch, 08 MailBoxSearchCriterion, 09 Query, 0A Status, 0B FreeText, " +
        "0C Options, 0D Range, 0E DeepTraversal, 11 Response, 12 Result, 13 Properties, 14 Preview, 15 HasAttachments, " +
        "16 Total, 17 DisplayCc, 18 DisplayBcc, 19 GalSearchCriterion, 20 MaxPictures, 21 MaxSize, 22 Picture")]
    [TestCase(10, "05 ResolveRecipients, 06 Response, 07 Status, 08 Type, 09 Recipient, 0A DisplayName, 0B EmailAddress, " +
        "0C Certificates, 0D Certificate, 0E MiniCertificate, 0F Options, 10 To, 11 CertificateRetrieval, 12 RecipientCount, " +
        "13 MaxCertificates, 14 MaxAmbiguousRecipients, 15 CertificateCount, ? Availability, ? StartTime, ? EndTime, " +
        "? MergedFreeBusy, ? Picture, ? MaxSize, ? Data, ? MaxPictures")]
    public void Page_is_the_MS_ASWBXML_table(int page, string table)
    {
        var rows = table.Split(", ").Select(row => row.Split(' ')).ToList();
        var tags = WbxmlCodePages.All[page].Tags;
        Assert.That(tags.Select(t => t.Name), Is.EqualTo(rows.Select(r => r[1])));
        foreach (var (row, tag) in rows.Zip(tags).Where(pair => pair.First[0] != "?"))
            Assert.That(tag.Token, Is.EqualTo(Convert.ToByte(row[0], 16)), tag.Name);
    }

    [Test]
    public void Gaps_are_not_tokens()
    {
        Assert.That(WbxmlCodePages.AirSync.TryGetName(0x11, out _), Is.False); // Version: protocol 1.0/2.0 only
        Assert.That(WbxmlCodePages.Find.TryGetName(0x0F, out _), Is.False);
        Assert.That(WbxmlCodePages.Ping.TryGetName(0x40, out _), Is.False);
    }

    public static IEnumerable<TestCaseData> EveryTag() =>
        WbxmlCodePages.All.SelectMany(page => page.Tags.Select(tag =>
            new TestCaseData(page.Number, tag.Token, tag.Name).SetName($"{page.Namespace}{tag.Name}")));

    [TestCaseSource(nameof(EveryTag))]
    public void Every_tag_round_trips_empty_and_with_text(byte page, byte token, string name)
    {
        var xname = WbxmlCodePages.All[page].Namespace + name;
        byte[] switchPage = page == 0 ? [] : [0x00, page];

        var empty = new XElement(xname);
        var emptyBytes = WbxmlEncoder.Encode(empty);
        Assert.That(emptyBytes, Is.EqualTo([.. Hex("03 01 6A 00"), .. switchPage, token]));
        AssertEquivalent(DecodeOk(emptyBytes), empty);

        var withText = new XElement(xname, "x");
        var textBytes = WbxmlEncoder.Encode(withText);
        Assert.That(textBytes, Is.EqualTo([.. Hex("03 01 6A 00"), .. switchPage, (byte)(token | 0x40), .. Hex("03 'x' 00 01")]));
        AssertEquivalent(DecodeOk(textBytes), withText);
    }

    [Test]
    public void One_document_with_every_tag_of_every_page_round_trips()
    {
        // Nested across pages, so SWITCH_PAGE is needed both into and back out of every page.
        var root = new XElement(Ns.AirSync + "Sync");
        foreach (var page in WbxmlCodePages.All)
        {
            var container = new XElement(Ns.AirSync + "ApplicationData");
            foreach (var (token, name) in page.Tags)
                container.Add(new XElement(page.Namespace + name, token % 2 == 0 ? $"{page.Number}/{token}" : null));
            container.Add(new XElement(Ns.AirSync + "ServerId", page.Number));
            root.Add(container);
        }
        var bytes = WbxmlEncoder.Encode(root);
        WbxmlDecoder.TryDecode(bytes, WbxmlLimits.Default, out var decoded, out var error);
        Assert.That(error, Is.Null);
        AssertEquivalent(decoded!, root);
    }
}
