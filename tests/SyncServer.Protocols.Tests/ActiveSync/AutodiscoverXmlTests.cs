using System.Text;
using SyncServer.Protocols.ActiveSync.Autodiscover;

namespace SyncServer.Protocols.Tests.ActiveSync;

/// <summary>The POX Autodiscover request reader (MS-ASCMD 6.1): the two fields, and nothing from DTDs or other roots.</summary>
public sealed class AutodiscoverXmlTests
{
    [Test]
    public void EAS_AD_02_ReadsAddressAndSchema()
    {
        const string body = """
            <?xml version="1.0" encoding="utf-8"?>
            <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/mobilesync/requestschema/2006">
              <Request>
                <EMailAddress> alice@example.org </EMailAddress>
                <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006</AcceptableResponseSchema>
              </Request>
            </Autodiscover>
            """;
        Assert.That(AutodiscoverXml.TryParse(Encoding.UTF8.GetBytes(body), out var request), Is.True);
        Assert.That(request, Is.EqualTo(new AutodiscoverRequest("alice@example.org", AutodiscoverXml.MobileSyncSchema.NamespaceName)));
    }

    [TestCase("")]
    [TestCase("<Autodiscover/>")]
    [TestCase("""<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/mobilesync/requestschema/2006"><Request><EMailAddress>a@b</EMailAddress></Request></Autodiscover>""")]
    [TestCase("""<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/mobilesync/requestschema/2006"><Request><EMailAddress>&x;</EMailAddress><AcceptableResponseSchema>s</AcceptableResponseSchema></Request></Autodiscover>""")]
    public void EAS_AD_02_RefusesWhatIsNotARequest(string body)
    {
        Assert.That(AutodiscoverXml.TryParse(Encoding.UTF8.GetBytes(body), out var request), Is.False);
        Assert.That(request, Is.Null);
    }

    [Test]
    public void EAS_AD_03_ErrorAnswer_HasCodeAndMessage_InTheResponseSchema()
    {
        var error = AutodiscoverXml.Error(AutodiscoverXml.NoProviderForSchema, DateTimeOffset.UnixEpoch, "abc");
        Assert.That(error.Root!.ToString(System.Xml.Linq.SaveOptions.DisableFormatting), Is.EqualTo(
            """<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"><Response><Error Time="00:00:00.0000000" Id="abc"><ErrorCode>601</ErrorCode><Message>Provider is not available</Message><DebugData /></Error></Response></Autodiscover>"""));
    }
}
