using System.Xml.Linq;
using SyncServer.Protocols.ActiveSync.Wbxml;
using static SyncServer.Protocols.Tests.ActiveSync.WbxmlTesting;

namespace SyncServer.Protocols.Tests.ActiveSync;

/// <summary>
/// Request and response shapes from the MS-ASCMD examples, encoded and checked against bytes derived by hand from
/// the code pages (tag | 0x40 when it has content; 03 … 00 inline string; 01 END; 00 nn SWITCH_PAGE), then decoded
/// back. Every document here is also checked against libwbxml in <see cref="LibWbxmlTests"/>.
/// </summary>
public class WbxmlGoldenTests
{
    // MS-ASCMD 4.5.1 FolderSync, first request.
    internal const string FolderSyncRequestXml = """
        <FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>
        """;

    internal const string FolderSyncRequestWbxml =
        "03 01 6A 00  00 07  56  52 03 '0' 00 01  01";

    // MS-ASCMD 4.5.1 FolderSync response: two folders added.
    internal const string FolderSyncResponseXml = """
        <FolderSync xmlns="FolderHierarchy:">
          <Status>1</Status>
          <SyncKey>1</SyncKey>
          <Changes>
            <Count>2</Count>
            <Add><ServerId>1</ServerId><ParentId>0</ParentId><DisplayName>Inbox</DisplayName><Type>2</Type></Add>
            <Add><ServerId>2</ServerId><ParentId>0</ParentId><DisplayName>Sent Items</DisplayName><Type>5</Type></Add>
          </Changes>
        </FolderSync>
        """;

    internal const string FolderSyncResponseWbxml =
        "03 01 6A 00  00 07  56" +
        "  4C 03 '1' 00 01" +                                       // Status
        "  52 03 '1' 00 01" +                                       // SyncKey
        "  4E" +                                                    // Changes
        "    57 03 '2' 00 01" +                                     // Count
        "    4F 48 03 '1' 00 01 49 03 '0' 00 01 47 03 'Inbox' 00 01 4A 03 '2' 00 01 01" +
        "    4F 48 03 '2' 00 01 49 03 '0' 00 01 47 03 'Sent Items' 00 01 4A 03 '5' 00 01 01" +
        "  01" +
        "01";

    // MS-ASCMD 4.22.1 Sync, initial request with SyncKey 0 (the byte stream also quoted in MS-ASWBXML 4).
    internal const string SyncKeyZeroXml = """
        <Sync xmlns="AirSync:"><Collections><Collection>
          <SyncKey>0</SyncKey><CollectionId>1</CollectionId>
        </Collection></Collections></Sync>
        """;

    internal const string SyncKeyZeroWbxml =
        "03 01 6A 00  45 5C 4F  4B 03 '0' 00 01  52 03 '1' 00 01  01 01 01";

    // A Sync request as phones send it after SyncKey 0: empty GetChanges/DeletesAsMoves, and options that switch
    // to AirSyncBase and back to AirSync inside one Options element.
    internal const string SyncGetChangesXml = """
        <Sync xmlns="AirSync:" xmlns:airsyncbase="AirSyncBase:"><Collections><Collection>
          <SyncKey>1</SyncKey><CollectionId>1</CollectionId><DeletesAsMoves/><GetChanges/><WindowSize>100</WindowSize>
          <Options>
            <FilterType>3</FilterType>
            <airsyncbase:BodyPreference>
              <airsyncbase:Type>2</airsyncbase:Type><airsyncbase:TruncationSize>5120</airsyncbase:TruncationSize>
            </airsyncbase:BodyPreference>
            <MIMESupport>0</MIMESupport>
          </Options>
        </Collection></Collections></Sync>
        """;

    internal const string SyncGetChangesWbxml =
        "03 01 6A 00  45 5C 4F" +
        "  4B 03 '1' 00 01  52 03 '1' 00 01  1E  13  55 03 '100' 00 01" +
        "  57 58 03 '3' 00 01" +                                    // Options, FilterType
        "    00 11  45 46 03 '2' 00 01 47 03 '5120' 00 01 01" +     // AirSyncBase: BodyPreference
        "    00 00  62 03 '0' 00 01" +                              // back to AirSync: MIMESupport
        "  01" +
        "01 01 01";

    // MS-ASCMD 4.13 Ping request and a "changes found" response.
    internal const string PingRequestXml = """
        <Ping xmlns="Ping:">
          <HeartbeatInterval>480</HeartbeatInterval>
          <Folders><Folder><Id>1</Id><Class>Email</Class></Folder></Folders>
        </Ping>
        """;

    internal const string PingRequestWbxml =
        "03 01 6A 00  00 0D  45  48 03 '480' 00 01  49 4A 4B 03 '1' 00 01 4C 03 'Email' 00 01 01 01  01";

    internal const string PingResponseXml = """
        <Ping xmlns="Ping:"><Status>2</Status><Folders><Folder>1</Folder></Folders></Ping>
        """;

    internal const string PingResponseWbxml =
        "03 01 6A 00  00 0D  45  47 03 '2' 00 01  49 4A 03 '1' 00 01 01  01";

    // MS-ASPROV 4.1 / MS-ASCMD 4.14: Provision phase 1 (14.1+, with DeviceInformation) and its answer.
    internal const string ProvisionRequestXml = """
        <Provision xmlns="Provision:" xmlns:settings="Settings:">
          <settings:DeviceInformation><settings:Set><settings:Model>iPhone</settings:Model></settings:Set></settings:DeviceInformation>
          <Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType></Policy></Policies>
        </Provision>
        """;

    internal const string ProvisionRequestWbxml =
        "03 01 6A 00  00 0E  45" +
        "  00 12  56 48 57 03 'iPhone' 00 01 01 01" +               // Settings: DeviceInformation/Set/Model
        "  00 0E  46 47 48 03 'MS-EAS-Provisioning-WBXML' 00 01 01 01" +
        "01";

    internal const string ProvisionResponseXml = """
        <Provision xmlns="Provision:">
          <Status>1</Status>
          <Policies><Policy>
            <PolicyType>MS-EAS-Provisioning-WBXML</PolicyType><Status>1</Status><PolicyKey>1307199584</PolicyKey>
            <Data><EASProvisionDoc><DevicePasswordEnabled>0</DevicePasswordEnabled></EASProvisionDoc></Data>
          </Policy></Policies>
        </Provision>
        """;

    internal const string ProvisionResponseWbxml =
        "03 01 6A 00  00 0E  45  4B 03 '1' 00 01" +
        "  46 47  48 03 'MS-EAS-Provisioning-WBXML' 00 01  4B 03 '1' 00 01  49 03 '1307199584' 00 01" +
        "    4A 4D 4E 03 '0' 00 01 01 01" +
        "  01 01" +
        "01";

    public static IEnumerable<TestCaseData> Documents()
    {
        yield return new TestCaseData(FolderSyncRequestXml, FolderSyncRequestWbxml).SetName("FolderSync request");
        yield return new TestCaseData(FolderSyncResponseXml, FolderSyncResponseWbxml).SetName("FolderSync response");
        yield return new TestCaseData(SyncKeyZeroXml, SyncKeyZeroWbxml).SetName("Sync request, SyncKey 0");
        yield return new TestCaseData(SyncGetChangesXml, SyncGetChangesWbxml).SetName("Sync request, GetChanges");
        yield return new TestCaseData(PingRequestXml, PingRequestWbxml).SetName("Ping request");
        yield return new TestCaseData(PingResponseXml, PingResponseWbxml).SetName("Ping response");
        yield return new TestCaseData(ProvisionRequestXml, ProvisionRequestWbxml).SetName("Provision phase 1 request");
        yield return new TestCaseData(ProvisionResponseXml, ProvisionResponseWbxml).SetName("Provision phase 1 response");
    }

    [TestCaseSource(nameof(Documents))]
    public void Encodes_to_the_expected_bytes(string xml, string wbxml) =>
        Assert.That(WbxmlEncoder.Encode(XElement.Parse(xml)), Is.EqualTo(Hex(wbxml)));

    [TestCaseSource(nameof(Documents))]
    public void Decodes_to_the_expected_tree(string xml, string wbxml) =>
        AssertEquivalent(DecodeOk(Hex(wbxml)), XElement.Parse(xml));

    [TestCaseSource(nameof(Documents))]
    public void Every_truncation_is_an_error(string xml, string wbxml)
    {
        var bytes = Hex(wbxml);
        for (var length = 0; length < bytes.Length; length++)
        {
            WbxmlDecoder.TryDecode(bytes.AsMemory(0, length), WbxmlLimits.Default, out var root, out var error);
            Assert.That(root, Is.Null, $"length {length}");
            Assert.That(error!.Kind, Is.EqualTo(WbxmlErrorKind.Truncated), $"length {length}");
        }
    }

    [Test]
    public void Empty_element_and_element_with_empty_text_stay_distinct()
    {
        var xml = XElement.Parse("""<Provision xmlns="Provision:"><RemoteWipe/><Data></Data></Provision>""");
        var bytes = WbxmlEncoder.Encode(xml);
        Assert.That(bytes, Is.EqualTo(Hex("03 01 6A 00  00 0E 45  0C  4A 03 00 01  01")));
        var decoded = DecodeOk(bytes);
        AssertEquivalent(decoded, xml);
        Assert.That(decoded.Elements().Select(e => e.IsEmpty), Is.EqualTo(new[] { true, false }));
    }

    [Test]
    public void Content_bit_with_no_content_decodes_as_empty_text()
    {
        var decoded = DecodeOk(Hex("03 01 6A 00  45 53 01 01"));
        Assert.That(decoded.Element(ActiveSyncNamespaces.AirSync + "GetChanges")!.IsEmpty, Is.False);
    }

    [Test]
    public void Opaque_round_trips_as_bytes()
    {
        var mime = "From: a@example.org\r\n\r\n\0binary\xff"u8.ToArray();
        var compose = ActiveSyncNamespaces.ComposeMail;
        var xml = new XElement(compose + "SendMail",
            new XElement(compose + "ClientId", "1"),
            new XElement(compose + "SaveInSentItems"),
            WbxmlOpaque.Element(compose + "Mime", mime));
        var bytes = WbxmlEncoder.Encode(xml);
        Assert.That(bytes, Is.EqualTo(
            [.. Hex("03 01 6A 00  00 15 45  51 03 '1' 00 01  08  50 C3"), (byte)mime.Length, .. mime, .. Hex("01 01")]));
        var decoded = DecodeOk(bytes);
        AssertEquivalent(decoded, xml);
        Assert.That(WbxmlOpaque.GetBytes(decoded.Element(compose + "Mime")!).ToArray(), Is.EqualTo(mime));
    }

    [Test]
    public void Opaque_length_over_127_takes_two_bytes()
    {
        var data = new byte[200];
        var bytes = WbxmlEncoder.Encode(WbxmlOpaque.Element(ActiveSyncNamespaces.AirSyncBase + "Data", data));
        Assert.That(bytes.AsSpan(0, 10).ToArray(), Is.EqualTo(Hex("03 01 6A 00  00 11  4B C3 81 48")));
        AssertEquivalent(DecodeOk(bytes), WbxmlOpaque.Element(ActiveSyncNamespaces.AirSyncBase + "Data", data));
    }

    [Test]
    public void String_or_opaque_content_reads_the_same_either_way()
    {
        // EAS-WBXML-04: iOS sends Mime as OPAQUE, Outlook as an inline string.
        var inline = DecodeOk(Hex("03 01 6A 00  00 15 50 03 'MIME' 00 01"));
        var opaque = DecodeOk(Hex("03 01 6A 00  00 15 50 C3 04 'MIME' 01"));
        Assert.That(WbxmlOpaque.GetBytes(inline).ToArray(), Is.EqualTo(WbxmlOpaque.GetBytes(opaque).ToArray()));
        Assert.That(WbxmlOpaque.Get(inline), Is.Null);
    }

    [Test]
    public void Non_ascii_text_is_utf8()
    {
        var xml = new XElement(ActiveSyncNamespaces.FolderHierarchy + "DisplayName", "Gelöschte Elemente 🗑");
        var bytes = WbxmlEncoder.Encode(xml);
        Assert.That(bytes, Is.EqualTo(Hex("03 01 6A 00  00 07 47 03 'Gelöschte Elemente 🗑' 00 01")));
        AssertEquivalent(DecodeOk(bytes), xml);
    }

    [Test]
    public void String_table_and_STR_T_are_accepted()
    {
        // A 6-byte string table "ab\0cd\0"; STR_T 3 is "cd".
        var root = DecodeOk(Hex("03 01 6A 06 'ab' 00 'cd' 00  45 4B 83 03 01 01"));
        Assert.That(root.Value, Is.EqualTo("cd"));
    }

    [Test]
    public void Public_id_zero_is_followed_by_a_string_table_index()
    {
        var root = DecodeOk(Hex("03 00 00 6A 00  45 01"));
        Assert.That(root.Name, Is.EqualTo(ActiveSyncNamespaces.AirSync + "Sync"));
    }

    [Test]
    public void Encoder_refuses_what_WBXML_cannot_carry()
    {
        var airSync = ActiveSyncNamespaces.AirSync;
        Assert.Throws<ArgumentException>(() => WbxmlEncoder.Encode(new XElement(airSync + "NoSuchTag")));
        Assert.Throws<ArgumentException>(() => WbxmlEncoder.Encode(new XElement("Sync")));
        Assert.Throws<ArgumentException>(() => WbxmlEncoder.Encode(new XElement(airSync + "Sync", new XAttribute("a", "1"))));
        Assert.Throws<ArgumentException>(() => WbxmlEncoder.Encode(new XElement(airSync + "SyncKey", "a\0b")));
        Assert.Throws<ArgumentException>(() => WbxmlEncoder.Encode(new XElement(airSync + "Sync", new XComment("x"))));
    }
}
