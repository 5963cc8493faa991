using SyncServer.Protocols.ActiveSync.Http;

namespace SyncServer.Protocols.Tests.ActiveSync;

/// <summary>The request line in its two forms (MS-ASHTTP 2.2.1.1.1; client-requirements EAS-HTTP-04, EAS-HTTP-05).</summary>
public sealed class ActiveSyncQueryTests
{
    [Test]
    public void EAS_HTTP_04_PlainForm_NamesInAnyCase_ValuesUrlDecoded()
    {
        Assert.That(ActiveSyncQueryParser.TryParse(
            "cmd=SendMail&User=alice%40example.org&deviceid=kc28f3e3o53nhduj5rmqk1sge4&DeviceType=iPhone&SaveInSent=T&ItemId=5%3A7", out var query, out var error), error);
        Assert.That(query, Is.EqualTo(new ActiveSyncQuery("SendMail", "kc28f3e3o53nhduj5rmqk1sge4", "iPhone",
            User: "alice@example.org", ItemId: "5:7", SaveInSent: true)));
    }

    [TestCase("User=a&DeviceId=abc&DeviceType=x", "Cmd is missing")]
    [TestCase("Cmd=Sync&DeviceType=x", "DeviceId must be")]
    [TestCase("Cmd=Sync&DeviceId=ab%2Fc&DeviceType=x", "DeviceId must be")]
    [TestCase("Cmd=Sync&DeviceId=abc", "DeviceType must be")]
    [TestCase("", "no query string")]
    [TestCase("!!!notbase64", "neither name=value pairs nor base64")]
    public void PlainForm_WithoutWhatEveryRequestNeeds_IsRefusedWithAReason(string queryString, string reason)
    {
        Assert.That(ActiveSyncQueryParser.TryParse(queryString, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(reason));
    }

    [Test]
    public void EAS_HTTP_05_Base64Form_CarriesVersionPolicyKeyAndParameters()
    {
        byte[] bytes =
        [
            141, 3, 0x09, 0x04,                       // 14.1, SmartReply, locale en-US
            4, (byte)'d', (byte)'e', (byte)'v', (byte)'1',
            4, 0x78, 0x56, 0x34, 0x12,                // policy key 0x12345678
            6, (byte)'i', (byte)'P', (byte)'h', (byte)'o', (byte)'n', (byte)'e',
            1, 2, (byte)'1', (byte)'7',               // CollectionId 17
            3, 3, (byte)'1', (byte)':', (byte)'2',    // ItemId 1:2
            7, 1, 0x03,                               // SaveInSent | AcceptMultiPart
            8, 1, (byte)'a',                          // User
        ];
        Assert.That(ActiveSyncQueryParser.TryParse(Convert.ToBase64String(bytes), out var query, out var error), error);
        Assert.That(query, Is.EqualTo(new ActiveSyncQuery("SmartReply", "dev1", "iPhone", User: "a", ProtocolVersion: "14.1",
            PolicyKey: 0x12345678, CollectionId: "17", ItemId: "1:2", SaveInSent: true, AcceptMultiPart: true, IsBase64: true)));
    }

    [Test]
    public void Base64Form_BinaryDeviceId_IsShownAsHex_AndNoPolicyKeyIsNull()
    {
        byte[] bytes = [120, 9, 0, 0, 2, 0xAB, 0x01, 0, 3, (byte)'W', (byte)'P', (byte)'7'];
        Assert.That(ActiveSyncQueryParser.TryParse(Convert.ToBase64String(bytes), out var query, out var error), error);
        Assert.That((query.Command, query.DeviceId, query.DeviceType, query.ProtocolVersion, query.PolicyKey),
            Is.EqualTo(("FolderSync", "AB01", "WP7", "12.0", (uint?)null)));
    }

    [TestCase(new byte[] { 141 }, "truncated")]
    [TestCase(new byte[] { 141, 99, 0, 0, 1, (byte)'a', 0, 1, (byte)'x' }, "unknown command code 99")]
    [TestCase(new byte[] { 141, 0, 0, 0, 1, (byte)'a', 2, 1, 2, 1, (byte)'x' }, "policy key must be 0 or 4 bytes")]
    [TestCase(new byte[] { 141, 0, 0, 0, 1, (byte)'a', 0, 1, (byte)'x', 1, 9, (byte)'1' }, "parameter is truncated")]
    public void Base64Form_Malformed_IsRefusedWithAReason(byte[] bytes, string reason)
    {
        Assert.That(ActiveSyncQueryParser.TryParse(Convert.ToBase64String(bytes), out _, out var error), Is.False);
        Assert.That(error, Does.Contain(reason));
    }

    [Test]
    public void RandomInput_NeverThrows()
    {
        var random = new Random(20261125);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 40)];
            random.NextBytes(bytes);
            var text = i % 2 == 0 ? Convert.ToBase64String(bytes) : new string(bytes.Select(b => (char)(b % 96 + 32)).ToArray());
            Assert.DoesNotThrow(() => ActiveSyncQueryParser.TryParse(text, out _, out _), text);
        }
    }
}
