using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.Tests.ActiveSync;

/// <summary>
/// The commands around mail rather than in it, against the real server: POX Autodiscover (EAS-AD-01 … 03), Settings
/// Oof Get/Set kept in the store (EAS-SET-01) and ValidateCert with certificates made here (EAS-VC-01).
/// </summary>
[NonParallelizable]
public sealed class DiscoveryAndSettingsTests : EasFixture
{
    private const string RequestSchema = "http://schemas.microsoft.com/exchange/autodiscover/mobilesync/requestschema/2006";
    private const string MobileSync = "http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006";
    private const string Outlook = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";
    private static readonly XNamespace Response = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";
    private static readonly XNamespace Ms = MobileSync;
    private static readonly XNamespace Set = ActiveSyncNamespaces.Settings;
    private static readonly XNamespace Vc = ActiveSyncNamespaces.ValidateCert;

    [Test]
    public async Task EAS_AD_01_02_03_Autodiscover_NeedsBasicAuth_AnswersTheMobileSyncUrl_InAnyPathCase()
    {
        using var http = Server.NewHttpClient();
        var anonymous = await http.PostAsync("/autodiscover/autodiscover.xml", Xml(AutodiscoverRequest(MobileSync)));
        Assert.That((anonymous.StatusCode, anonymous.Headers.WwwAuthenticate.Single().Scheme), Is.EqualTo((HttpStatusCode.Unauthorized, "Basic")));
        Assert.That(await anonymous.Content.ReadAsByteArrayAsync(), Is.Empty);

        foreach (var path in new[] { "/autodiscover/autodiscover.xml", "/Autodiscover/Autodiscover.xml" })
        {
            var (response, answer) = await AutodiscoverAsync(http, path, AutodiscoverRequest(MobileSync));
            Assert.That((response.StatusCode, response.Content.Headers.ContentType!.MediaType), Is.EqualTo((HttpStatusCode.OK, "text/xml")));
            var settings = answer.Root!.Element(Ms + "Response")!;
            Assert.That(answer.Root!.Name, Is.EqualTo(Response + "Autodiscover"));
            Assert.That((Value(settings, Ms + "DisplayName"), Value(settings, Ms + "EMailAddress"), Value(settings, Ms + "Type")),
                Is.EqualTo(("Alice Liddell", EasServer.User, "MobileSync")));
            Assert.That(Value(settings, Ms + "Url"), Is.EqualTo($"https://127.0.0.1:{Server.HttpsPort}/Microsoft-Server-ActiveSync"));
        }
    }

    [Test]
    public async Task EAS_AD_02_Autodiscover_OutlookSchemaIs601_MalformedOrDtdIs600_AndTheServerKeepsServing()
    {
        using var http = Server.NewHttpClient();
        var (_, outlook) = await AutodiscoverAsync(http, "/autodiscover/autodiscover.xml", AutodiscoverRequest(Outlook));
        Assert.That(Value(outlook.Root!, Response + "ErrorCode"), Is.EqualTo("601"));

        const string entities = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
            <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/mobilesync/requestschema/2006"><Request><EMailAddress>&lol2;</EMailAddress></Request></Autodiscover>
            """;
        foreach (var bad in new[] { entities, "<Autodiscover>", "not xml at all", "" })
        {
            var (response, answer) = await AutodiscoverAsync(http, "/autodiscover/autodiscover.xml", bad);
            Assert.That((response.StatusCode, Value(answer.Root!, Response + "ErrorCode")), Is.EqualTo((HttpStatusCode.OK, "600")), bad);
        }
        var (_, fine) = await AutodiscoverAsync(http, "/autodiscover/autodiscover.xml", AutodiscoverRequest(MobileSync));
        Assert.That(Value(fine.Root!, Ms + "Type"), Is.EqualTo("MobileSync"));
    }

    [Test]
    public async Task EAS_SET_01_Oof_SetIsStored_GetAnswersItInTheAskedBodyType_ToAnotherDeviceToo_BadSetsChangeNothing()
    {
        using var phone = new EasDevice(Server, "oofphone", "iPhone", "16.1");
        await phone.ProvisionAsync();
        var (_, off) = await phone.PostAsync("Settings", OofGet("Text"));
        Assert.That(Value(off!, Set + "OofState"), Is.EqualTo("0"));

        var (_, stored) = await phone.PostAsync("Settings", new XElement(Set + "Settings", new XElement(Set + "Oof", new XElement(Set + "Set",
            new XElement(Set + "OofState", 2),
            new XElement(Set + "StartTime", "2026-12-20T08:00:00.000Z"),
            new XElement(Set + "EndTime", "2027-01-06T18:00:00.000Z"),
            Message("AppliesToInternal", "Back on 6 January.\nAsk Bob.", "Text"),
            Message("AppliesToExternalUnknown", "<p>Away until <b>January</b></p>", "HTML", enabled: 0)))));
        Assert.That(Value(stored!.Element(Set + "Oof")!, Set + "Status"), Is.EqualTo("1"));

        using var tablet = new EasDevice(Server, "oofotherdevice", "Android", "14.1");
        await tablet.ProvisionAsync();
        var (_, text) = await tablet.PostAsync("Settings", OofGet("Text"));
        var get = text!.Descendants(Set + "Get").Single();
        Assert.That((Value(get, Set + "OofState"), Value(get, Set + "StartTime"), Value(get, Set + "EndTime")),
            Is.EqualTo(("2", "2026-12-20T08:00:00.000Z", "2027-01-06T18:00:00.000Z")));
        var messages = get.Elements(Set + "OofMessage").ToList();
        Assert.That(messages.Select(m => (m.Elements().First().Name.LocalName, Value(m, Set + "Enabled"), Value(m, Set + "ReplyMessage"), Value(m, Set + "BodyType"))),
            Is.EqualTo(new[]
            {
                ("AppliesToInternal", "1", "Back on 6 January.\nAsk Bob.", "Text"),
                ("AppliesToExternalUnknown", "0", "Away until January", "Text"),
            }));
        var (_, html) = await tablet.PostAsync("Settings", OofGet("HTML"));
        Assert.That(html!.Descendants(Set + "ReplyMessage").First().Value, Does.Contain("Back on 6 January.<br/>"));

        foreach (var (bad, status) in new[]
        {
            (new XElement(Set + "Set", new XElement(Set + "OofState", 7)), "2"),
            (new XElement(Set + "Set", new XElement(Set + "OofState", 2), new XElement(Set + "StartTime", "2027-01-06T18:00:00.000Z"),
                new XElement(Set + "EndTime", "2026-12-20T08:00:00.000Z")), "5"),
            (new XElement(Set + "Set", Message("AppliesToInternal", "x", "RTF")), "2"),
        })
        {
            var (_, refused) = await phone.PostAsync("Settings", new XElement(Set + "Settings", new XElement(Set + "Oof", bad)));
            Assert.That(Value(refused!.Element(Set + "Oof")!, Set + "Status"), Is.EqualTo(status), bad.ToString());
        }
        var (_, unchanged) = await phone.PostAsync("Settings", OofGet("Text"));
        Assert.That(unchanged!.Descendants(Set + "Get").Single().ToString(), Is.EqualTo(get.ToString()));

        var (_, noBodyType) = await phone.PostAsync("Settings", new XElement(Set + "Settings", new XElement(Set + "Oof", new XElement(Set + "Get"))));
        Assert.That(Value(noBodyType!.Element(Set + "Oof")!, Set + "Status"), Is.EqualTo("2"));
    }

    [Test]
    public async Task EAS_VC_01_ValidateCert_EachCertificateGetsItsChainStatus()
    {
        using var phone = new EasDevice(Server, "certphone", "iPhone", "16.1");
        await phone.ProvisionAsync();
        var now = DateTimeOffset.UtcNow;
        using var selfSigned = Certificate("CN=Bob", now.AddDays(-1), now.AddDays(30));
        using var expired = Certificate("CN=Old Bob", now.AddYears(-2), now.AddYears(-1));

        var (_, answer) = await phone.PostAsync("ValidateCert", new XElement(Vc + "ValidateCert", new XElement(Vc + "Certificates",
            new XElement(Vc + "Certificate", Convert.ToBase64String(selfSigned.RawData)),
            new XElement(Vc + "Certificate", Convert.ToBase64String(expired.RawData)),
            new XElement(Vc + "Certificate", Convert.ToBase64String(Encoding.ASCII.GetBytes("not a certificate"))),
            new XElement(Vc + "Certificate", "%%% not base64")),
            new XElement(Vc + "CheckCRL", 0)));
        Assert.That(Value(answer!, Vc + "Status"), Is.EqualTo("1"));
        Assert.That(answer!.Elements(Vc + "Certificate").Select(c => Value(c, Vc + "Status")), Is.EqualTo(new[] { "4", "7", "10", "10" }),
            "untrusted root, expired, not a certificate twice");

        var (_, empty) = await phone.PostAsync("ValidateCert", new XElement(Vc + "ValidateCert"));
        Assert.That(empty!.ToString(SaveOptions.DisableFormatting), Is.EqualTo("""<ValidateCert xmlns="ValidateCert:"><Status>2</Status></ValidateCert>"""));
    }

    private static X509Certificate2 Certificate(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.4")], false));
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    private static XElement OofGet(string bodyType)
        => new(Set + "Settings", new XElement(Set + "Oof", new XElement(Set + "Get", new XElement(Set + "BodyType", bodyType))));

    private static XElement Message(string audience, string text, string bodyType, int enabled = 1)
        => new(Set + "OofMessage", new XElement(Set + audience), new XElement(Set + "Enabled", enabled),
            new XElement(Set + "ReplyMessage", text), new XElement(Set + "BodyType", bodyType));

    private static string AutodiscoverRequest(string schema) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <Autodiscover xmlns="{RequestSchema}"><Request><EMailAddress>{EasServer.User}</EMailAddress><AcceptableResponseSchema>{schema}</AcceptableResponseSchema></Request></Autodiscover>
        """;

    private static StringContent Xml(string body) => new(body, Encoding.UTF8, "text/xml");

    private async Task<(HttpResponseMessage Response, XDocument Answer)> AutodiscoverAsync(HttpClient http, string path, string body)
    {
        using var phone = new EasDevice(Server, "autodiscover", "iPhone", "16.1");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Xml(body) };
        request.Headers.Authorization = phone.Credentials();
        var response = await http.SendAsync(request);
        return (response, XDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    private static string Value(XElement root, XName name) => Eas.Value(root, name);
}
