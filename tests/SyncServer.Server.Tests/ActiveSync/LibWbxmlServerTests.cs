using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.Tests.ActiveSync;

/// <summary>
/// The independent codec check against the real server (issue 6 acceptance): requests encoded by Debian's
/// <c>xml2wbxml</c> (libwbxml2-utils) are accepted, and the server's answers — Provision, Settings, FolderSync, Sync
/// with items, Ping — read by <c>wbxml2xml</c> are the XML our own decoder reads. Ignored when the tools are absent.
/// </summary>
[NonParallelizable]
public sealed partial class LibWbxmlServerTests
{
    private const string Doctype = """<!DOCTYPE ActiveSync PUBLIC "-//MICROSOFT//DTD ActiveSync//EN" "http://www.microsoft.com/">""";

    private EasServer _server = null!;
    private string _directory = "";

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await EasServer.StartAsync();
        _directory = Directory.CreateTempSubdirectory("wbxml-server").FullName;
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task RequestsFromXml2wbxml_AreAccepted_AnswersReadByWbxml2xml_AreOurXml()
    {
        using (var imap = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true })
        {
            await imap.ConnectAsync("127.0.0.1", _server.ImapsPort, SecureSocketOptions.SslOnConnect);
            await imap.AuthenticateAsync(EasServer.User, EasServer.Password);
            await imap.Inbox.AppendAsync(new MimeMessage([MailboxAddress.Parse("bob@example.org")], [MailboxAddress.Parse(EasServer.User)], "libwbxml",
                new TextPart("plain") { Text = "Grüße, read by wbxml2xml" }));
        }
        using var phone = new EasDevice(_server, "libwbxmlphone", "Android", "14.1");

        var first = await ExchangeAsync(phone, "Provision", """
            <Provision xmlns="Provision:"><Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType></Policy></Policies></Provision>
            """);
        var temporary = first.Descendants(Eas.Provision + "PolicyKey").Single().Value;
        phone.PolicyKey = uint.Parse(temporary);
        var second = await ExchangeAsync(phone, "Provision", $"""
            <Provision xmlns="Provision:"><Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType><PolicyKey>{temporary}</PolicyKey><Status>1</Status></Policy></Policies></Provision>
            """);
        phone.PolicyKey = uint.Parse(second.Descendants(Eas.Provision + "PolicyKey").Single().Value);

        await ExchangeAsync(phone, "Settings", """
            <Settings xmlns="Settings:"><UserInformation><Get/></UserInformation></Settings>
            """);
        var folders = await ExchangeAsync(phone, "FolderSync", """<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>""");
        var inbox = folders.Descendants(Eas.Folders + "Add").Single(a => a.Element(Eas.Folders + "Type")!.Value == "2").Element(Eas.Folders + "ServerId")!.Value;

        var primed = await ExchangeAsync(phone, "Sync", $"""
            <Sync xmlns="AirSync:"><Collections><Collection><SyncKey>0</SyncKey><CollectionId>{inbox}</CollectionId></Collection></Collections></Sync>
            """);
        var key = primed.Descendants(ActiveSyncNamespaces.AirSync + "SyncKey").Single().Value;
        var items = await ExchangeAsync(phone, "Sync", $"""
            <Sync xmlns="AirSync:" xmlns:airsyncbase="AirSyncBase:"><Collections><Collection><SyncKey>{key}</SyncKey><CollectionId>{inbox}</CollectionId>
            <GetChanges/><WindowSize>10</WindowSize><Options><airsyncbase:BodyPreference><airsyncbase:Type>1</airsyncbase:Type></airsyncbase:BodyPreference></Options>
            </Collection></Collections></Sync>
            """);
        Assert.That(items.Descendants(ActiveSyncNamespaces.Email + "Subject").Single().Value, Is.EqualTo("libwbxml"));

        var ping = await ExchangeAsync(phone, "Ping", $"""
            <Ping xmlns="Ping:"><HeartbeatInterval>30</HeartbeatInterval><Folders><Folder><Id>{inbox}</Id><Class>Email</Class></Folder></Folders></Ping>
            """);
        Assert.That(ping.Element(ActiveSyncNamespaces.Ping + "Status")!.Value, Is.EqualTo("5"), "heartbeat below the bound: answered at once");
    }

    /// <summary>Encodes the request with xml2wbxml, posts it, and checks wbxml2xml reads the answer as our decoder does.</summary>
    private async Task<XElement> ExchangeAsync(EasDevice phone, string command, string xml)
    {
        var requestXml = Path.Combine(_directory, command + ".xml");
        var requestWbxml = Path.Combine(_directory, command + ".wbxml");
        await File.WriteAllTextAsync(requestXml, $"<?xml version=\"1.0\"?>\n{Doctype}\n{xml.Trim()}");
        Run("xml2wbxml", "-a", "-n", "-v", "1.3", "-o", requestWbxml, requestXml);
        var (response, body) = await phone.PostBytesAsync(command, await File.ReadAllBytesAsync(requestWbxml));
        Assert.That((int)response.StatusCode, Is.EqualTo(200), $"{command}: {await response.Content.ReadAsStringAsync()}");
        Assert.That(WbxmlDecoder.TryDecode(body, WbxmlLimits.Default, out var ours, out var error), Is.True, error?.ToString());

        var answerWbxml = Path.Combine(_directory, command + "-answer.wbxml");
        var answerXml = Path.Combine(_directory, command + "-answer.xml");
        await File.WriteAllBytesAsync(answerWbxml, body);
        Run("wbxml2xml", "-m", "0", "-l", "ACTIVESYNC", "-o", answerXml, answerWbxml);
        var theirs = XDocument.Parse(DoctypeDeclaration().Replace(await File.ReadAllTextAsync(answerXml), "")).Root!;
        AssertSame(theirs, ours!, command);
        return ours!;
    }

    /// <summary>libwbxml 0.11's older names for the same tokens (MS-ASWBXML renamed them; the bytes are the same).</summary>
    private static readonly Dictionary<string, string> OlderNames = new() { ["DeviceEncryptionEnabled"] = "RequireStorageCardEncryption" };

    private static string Named(XElement element) => OlderNames.GetValueOrDefault(element.Name.LocalName, element.Name.LocalName);

    /// <summary>Same names (by token), same children in order, same text of the leaves.</summary>
    private static void AssertSame(XElement theirs, XElement ours, string path)
    {
        path += "/" + ours.Name.LocalName;
        Assert.That((theirs.Name.Namespace, Named(theirs)), Is.EqualTo((ours.Name.Namespace, ours.Name.LocalName)), path);
        var (theirChildren, ourChildren) = (theirs.Elements().ToList(), ours.Elements().ToList());
        Assert.That(theirChildren.Select(Named), Is.EqualTo(ourChildren.Select(c => c.Name.LocalName)), path);
        if (ourChildren.Count == 0)
            // wbxml2xml drops a text's trailing line break (a message body ends with one) and writes opaque data as
            // base64 (ConversationId); the rest is compared exactly.
            Assert.That(theirs.Value, Is.EqualTo(WbxmlOpaque.Get(ours) is { } opaque ? Convert.ToBase64String(opaque.Span) : ours.Value.TrimEnd('\n', '\r')), path);
        for (var i = 0; i < ourChildren.Count; i++)
            AssertSame(theirChildren[i], ourChildren[i], path);
    }

    [GeneratedRegex("<!DOCTYPE[^>]*>")]
    private static partial Regex DoctypeDeclaration();

    private static void Run(string tool, params string[] arguments)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(dir => Path.Combine(dir, tool)).FirstOrDefault(File.Exists);
        if (path is null)
            Assert.Ignore($"{tool} not installed (Debian package libwbxml2-utils)");
        using var process = Process.Start(new ProcessStartInfo(path, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        // The tools print "succeeded"/"failed" and exit 0 either way.
        Assert.That(process.ExitCode == 0 && !output.Contains("failed"), Is.True, $"{tool}: {output}");
    }
}
