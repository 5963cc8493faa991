using System.Net;
using System.Text;
using System.Xml.Linq;
using MailKit.Net.Imap;
using MailKit.Security;

namespace SyncServer.Server.Tests.ActiveSync;

/// <summary>
/// The first minutes of a phone against the real server (client-requirements A.3.0): OPTIONS, Provision in two
/// phases, Settings, FolderSync — for an iOS-like 16.1 client, an Android-like 14.1 client and an Outlook-like 14.0
/// client with Latin-1 credentials and the base64 request line — and the refusals around them.
/// </summary>
[NonParallelizable]
public sealed class FirstDeviceTests : EasFixture
{
    [Test]
    public async Task EAS_HTTP_02_03_Options_Unauthenticated401WithEmptyBody_AuthenticatedAdvertisesVersionsAndExactlyTheCommands()
    {
        using var http = Server.NewHttpClient();
        var anonymous = await http.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/microsoft-server-activesync"));
        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(anonymous.Headers.WwwAuthenticate.Single().Scheme, Is.EqualTo("Basic"));
        Assert.That(await anonymous.Content.ReadAsByteArrayAsync(), Is.Empty);

        using var phone = new EasDevice(Server, "optionsphone", "iPhone", "16.1");
        var request = new HttpRequestMessage(HttpMethod.Options, "/Microsoft-Server-ActiveSync");
        request.Headers.Authorization = phone.Credentials();
        var options = await http.SendAsync(request);
        Assert.That(options.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(options.Headers.GetValues("MS-ASProtocolVersions").Single(), Is.EqualTo("12.1,14.0,14.1,16.0,16.1"));
        Assert.That(options.Headers.GetValues("MS-ASProtocolCommands").Single(), Is.EqualTo("FolderCreate,FolderDelete,FolderSync,FolderUpdate,GetAttachment,GetItemEstimate,ItemOperations,MeetingResponse,MoveItems,Ping,Provision,ResolveRecipients,Search,SendMail,Settings,SmartForward,SmartReply,Sync,ValidateCert"));
        Assert.That(options.Headers.GetValues("MS-Server-ActiveSync").Single(), Is.Not.Empty);
    }

    [Test]
    public async Task EAS_PROV_01_02_03_04_iOS16_1_ProvisionsInTwoPhases_DeviceInformationAnsweredFirst_ThenFolderSyncIsServed()
    {
        using var phone = new EasDevice(Server, "ios161device", "iPhone", "16.1");
        var information = new XElement(Eas.Settings + "DeviceInformation", new XElement(Eas.Settings + "Set",
            new XElement(Eas.Settings + "Model", "iPhone15,2"), new XElement(Eas.Settings + "OS", "iOS 18.1 22B83")));
        var (_, first) = await phone.PostAsync("Provision", Eas.ProvisionRequest(information));

        Assert.That(first!.Elements().Select(e => e.Name.LocalName), Is.EqualTo(new[] { "DeviceInformation", "Status", "Policies" }));
        var temporary = uint.Parse(Eas.Value(first, Eas.Provision + "PolicyKey"));
        Assert.That(temporary, Is.Not.Zero);
        Assert.That(Eas.Value(first, Eas.Provision + "AllowHTMLEmail"), Is.EqualTo("1"));
        Assert.That(first.Descendants(Eas.Provision + "EASProvisionDoc").Single().Elements().First().Name.LocalName, Is.EqualTo("DevicePasswordEnabled"));

        phone.PolicyKey = temporary;
        var (_, second) = await phone.PostAsync("Provision", Eas.ProvisionAcknowledgement(temporary));
        Assert.That(second!.Descendants(Eas.Provision + "Data"), Is.Empty, "the final answer carries no policy document");
        phone.PolicyKey = uint.Parse(Eas.Value(second, Eas.Provision + "PolicyKey"));
        Assert.That(phone.PolicyKey, Is.Not.Zero.And.Not.EqualTo(temporary));

        var (response, folders) = await phone.PostAsync("FolderSync", Eas.FolderSync("0"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Eas.Value(folders!, Eas.Folders + "Status"), Is.EqualTo("1"));

        var listed = (await Server.CliAsync("device", "list", EasServer.User)).Stdout;
        Assert.That(listed, Does.Match($@"(?m)^{EasServer.User}\tios161device\tiPhone\tiPhone15,2\t[^\t]+\tprovisioned\t-$"));
    }

    [Test]
    public async Task EAS_PROV_06_WithoutOrWithAStaleKey_14x_AnswersStatus142Or144_12_1_AnswersHttp449()
    {
        using var android = new EasDevice(Server, "android141", "Android", "14.1");
        var (_, unprovisioned) = await android.PostAsync("FolderSync", Eas.FolderSync("0"));
        Assert.That(unprovisioned!.ToString(SaveOptions.DisableFormatting), Is.EqualTo("""<FolderSync xmlns="FolderHierarchy:"><Status>142</Status></FolderSync>"""));
        await android.ProvisionAsync();
        android.PolicyKey++;
        var (_, stale) = await android.PostAsync("Settings", new XElement(Eas.Settings + "Settings"));
        Assert.That(Eas.Value(stale!, Eas.Settings + "Status"), Is.EqualTo("144"));

        using var old = new EasDevice(Server, "samsung121", "SAMSUNGGTI9300", "12.1");
        var (response, body) = await old.PostAsync("FolderSync", Eas.FolderSync("0"));
        Assert.That(((int)response.StatusCode, body), Is.EqualTo((449, (XElement?)null)));
    }

    [Test]
    public async Task EAS_HTTP_05_08_OutlookLike_14_0_WithLatin1Credentials_AndTheBase64RequestLine_ProvisionsAndSyncsFolders()
    {
        using var outlook = new EasDevice(Server, "0123456789ABCDEF0123456789ABCDEF", "WindowsOutlook", "14.0", Encoding.Latin1);
        var (_, first) = await outlook.PostBase64Async(20, Eas.ProvisionRequest());
        outlook.PolicyKey = uint.Parse(Eas.Value(first!, Eas.Provision + "PolicyKey"));
        var (_, second) = await outlook.PostBase64Async(20, Eas.ProvisionAcknowledgement(outlook.PolicyKey.Value));
        outlook.PolicyKey = uint.Parse(Eas.Value(second!, Eas.Provision + "PolicyKey"));

        var (_, folders) = await outlook.PostBase64Async(9, Eas.FolderSync("0"));
        Assert.That(Eas.Value(folders!, Eas.Folders + "Status"), Is.EqualTo("1"));
    }

    [Test]
    public async Task EAS_FS_01_02_03_04_FolderSync_ListsTypedFolders_ReportsChangesOnce_RepeatsThePreviousKey_KeepsServerIdsOnKeyZero()
    {
        using var phone = new EasDevice(Server, "foldersyncphone", "iPhone", "16.1");
        await phone.ProvisionAsync();
        var (_, initial) = await phone.PostAsync("FolderSync", Eas.FolderSync("0"));
        var types = initial!.Descendants(Eas.Folders + "Add").ToDictionary(a => Eas.Value(a, Eas.Folders + "DisplayName"), a => Eas.Value(a, Eas.Folders + "Type"));
        Assert.That(types, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["INBOX"] = "2", ["Drafts"] = "3", ["Trash"] = "4", ["Sent"] = "5", ["Outbox"] = "6", ["Junk"] = "12", ["Archive"] = "12",
        }));
        Assert.That(Eas.Value(initial, Eas.Folders + "Count"), Is.EqualTo("7"));
        var key1 = Eas.Value(initial, Eas.Folders + "SyncKey");

        var (_, nothing) = await phone.PostAsync("FolderSync", Eas.FolderSync(key1));
        Assert.That((Eas.Value(nothing!, Eas.Folders + "SyncKey"), Eas.Value(nothing!, Eas.Folders + "Count")), Is.EqualTo((key1, "0")));

        using (var imap = new ImapClient())
        {
            imap.ServerCertificateValidationCallback = (_, _, _, _) => true;
            await imap.ConnectAsync("127.0.0.1", Server.ImapsPort, SecureSocketOptions.SslOnConnect);
            await imap.AuthenticateAsync(EasServer.User, EasServer.Password);
            await imap.GetFolder(imap.PersonalNamespaces[0]).CreateAsync("Projects", true);
        }
        var (_, added) = await phone.PostAsync("FolderSync", Eas.FolderSync(key1));
        var key2 = Eas.Value(added!, Eas.Folders + "SyncKey");
        Assert.That(key2, Is.Not.EqualTo(key1));
        var add = added!.Descendants(Eas.Folders + "Add").Single();
        Assert.That((Eas.Value(add, Eas.Folders + "DisplayName"), Eas.Value(add, Eas.Folders + "Type"), Eas.Value(add, Eas.Folders + "ParentId")),
            Is.EqualTo(("Projects", "12", "0")));

        var (_, repeated) = await phone.PostAsync("FolderSync", Eas.FolderSync(key1));
        Assert.That(repeated!.ToString(), Is.EqualTo(added.ToString()), "the previous key gets the same answer again");
        var (_, after) = await phone.PostAsync("FolderSync", Eas.FolderSync(key2));
        Assert.That(Eas.Value(after!, Eas.Folders + "Count"), Is.EqualTo("0"));

        var (_, again) = await phone.PostAsync("FolderSync", Eas.FolderSync("0"));
        Assert.That(again!.Descendants(Eas.Folders + "ServerId").Select(s => s.Value),
            Is.EquivalentTo(initial.Descendants(Eas.Folders + "ServerId").Select(s => s.Value).Append(Eas.Value(add, Eas.Folders + "ServerId"))));

        var (_, unknown) = await phone.PostAsync("FolderSync", Eas.FolderSync("77"));
        Assert.That(Eas.Value(unknown!, Eas.Folders + "Status"), Is.EqualTo("9"));
        var (_, malformed) = await phone.PostAsync("FolderSync", Eas.FolderSync("abc"));
        Assert.That(Eas.Value(malformed!, Eas.Folders + "Status"), Is.EqualTo("10"));
    }

    [TestCase("14.1", "PrimarySmtpAddress")]
    [TestCase("12.1", "SmtpAddress")]
    public async Task EAS_SET_01_Settings_UserInformationGivesTheAddress_DeviceInformationIsRecorded(string version, string addressElement)
    {
        using var phone = new EasDevice(Server, "settings" + version.Replace(".", ""), "Android", version);
        await phone.ProvisionAsync();
        var (response, answer) = await phone.PostAsync("Settings", new XElement(Eas.Settings + "Settings",
            new XElement(Eas.Settings + "UserInformation", new XElement(Eas.Settings + "Get")),
            new XElement(Eas.Settings + "DeviceInformation", new XElement(Eas.Settings + "Set", new XElement(Eas.Settings + "Model", "Pixel 9"))),
            new XElement(Eas.Settings + "Oof", new XElement(Eas.Settings + "Get", new XElement(Eas.Settings + "BodyType", "Text")))));

        Assert.That(answer, Is.Not.Null, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.That(answer!.Elements(Eas.Settings + "Status").Single().Value, Is.EqualTo("1"));
        Assert.That(Eas.Value(answer, Eas.Settings + addressElement), Is.EqualTo(EasServer.User));
        Assert.That(Eas.Value(answer, Eas.Settings + "OofState"), Is.EqualTo("0"));
        Assert.That((await Server.CliAsync("device", "list", EasServer.User)).Stdout, Does.Contain($"\t{phone.DeviceId}\tAndroid\tPixel 9\t"));
    }

    [Test]
    public async Task EAS_PROV_07_RemoteWipe_RefusesCommands_RidesOnProvision_AcknowledgementIsRecorded_ThenTheDeviceIsBlockedUntilRemoved()
    {
        using var phone = new EasDevice(Server, "stolenphone", "iPhone", "16.1");
        await phone.ProvisionAsync();
        Assert.That((await Server.CliAsync("device", "wipe", EasServer.User, "stolenphone")).ExitCode, Is.Zero);

        var (_, refused) = await phone.PostAsync("FolderSync", Eas.FolderSync("0"));
        Assert.That(Eas.Value(refused!, Eas.Folders + "Status"), Is.EqualTo("142"));
        var (_, directive) = await phone.PostAsync("Provision", Eas.ProvisionRequest());
        Assert.That(directive!.Elements().Select(e => e.Name.LocalName), Is.EqualTo(new[] { "Status", "Policies", "RemoteWipe" }));
        Assert.That((await Server.CliAsync("device", "list")).Stdout, Does.Contain("\tstolenphone\tiPhone\t-\t").And.Contain("\twipe pending"));

        var (_, acknowledged) = await phone.PostAsync("Provision",
            new XElement(Eas.Provision + "Provision", new XElement(Eas.Provision + "RemoteWipe", new XElement(Eas.Provision + "Status", 1))));
        Assert.That(Eas.Value(acknowledged!, Eas.Provision + "Status"), Is.EqualTo("1"));
        Assert.That((await Server.CliAsync("device", "list", EasServer.User)).Stdout, Does.Match(@"\tstolenphone\t.*\twiped \d{4}-"));

        var (blocked, _) = await phone.PostAsync("Provision", Eas.ProvisionRequest());
        Assert.That(blocked.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await Server.CliAsync("device", "remove", EasServer.User, "stolenphone")).ExitCode, Is.Zero);
        phone.PolicyKey = null;
        await phone.ProvisionAsync();
        Assert.That(phone.PolicyKey, Is.Not.Zero, "a removed device starts over");

        var missing = await Server.CliAsync("device", "wipe", EasServer.User, "nosuchphone");
        Assert.That((missing.ExitCode, missing.Stderr), Is.EqualTo((2, $"error: {EasServer.User} has no device nosuchphone\n")));
    }

    [Test]
    public async Task BadInput_GetsTheHttpStatus_AndChangesNothing()
    {
        using var phone = new EasDevice(Server, "badinputphone", "iPhone", "16.1");
        await phone.ProvisionAsync();
        var before = await DevicesWithoutLastSeenAsync();

        var (wrongPassword, _) = await phone.PostAsync("FolderSync", Eas.FolderSync("0"), password: "wrong");
        Assert.That(wrongPassword.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await wrongPassword.Content.ReadAsByteArrayAsync(), Is.Empty);

        using var http = Server.NewHttpClient();
        foreach (var (query, version, body, status) in new (string, string, byte[], HttpStatusCode)[]
        {
            ("Cmd=FolderSync&DeviceId=badinputphone&DeviceType=iPhone", "16.1", [0x03, 0x01, 0x6A, 0x00, 0x47, 0x52], HttpStatusCode.BadRequest),
            ("Cmd=FolderSync&DeviceId=badinputphone&DeviceType=iPhone", "16.1", [0x03, 0x01, 0x6A, 0x00, 0x00, 0x63, 0x45], HttpStatusCode.BadRequest),
            ("Cmd=FolderSync&DeviceId=bad/phone&DeviceType=iPhone", "16.1", [], HttpStatusCode.BadRequest),
            ("Cmd=FolderSync&DeviceId=badinputphone&DeviceType=iPhone", "9.9", [], HttpStatusCode.BadRequest),
            ("Cmd=Teleport&DeviceId=badinputphone&DeviceType=iPhone", "16.1", [], HttpStatusCode.NotImplemented),
            ("Cmd=FolderSync&DeviceId=badinputphone&DeviceType=iPhone", "16.1", WbxmlOf(Eas.ProvisionRequest()), HttpStatusCode.BadRequest),
        })
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/Microsoft-Server-ActiveSync?" + query) { Content = new ByteArrayContent(body) };
            request.Headers.Authorization = phone.Credentials();
            request.Headers.Add("MS-ASProtocolVersion", version);
            request.Headers.Add("X-MS-PolicyKey", phone.PolicyKey.ToString());
            Assert.That((await http.SendAsync(request)).StatusCode, Is.EqualTo(status), query + " " + Convert.ToHexString(body));
        }
        Assert.That(await DevicesWithoutLastSeenAsync(), Is.EqualTo(before));
    }

    /// <summary>The device list without its last-seen column, which every request moves on.</summary>
    private async Task<string[]> DevicesWithoutLastSeenAsync()
        => (await Server.CliAsync("device", "list")).Stdout.Split('\n').Select(line => string.Join('\t', line.Split('\t').Where((_, i) => i != 4))).ToArray();

    private static byte[] WbxmlOf(XElement document) => SyncServer.Protocols.ActiveSync.Wbxml.WbxmlEncoder.Encode(document);
}
