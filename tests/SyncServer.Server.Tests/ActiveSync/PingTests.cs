using System.Xml.Linq;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.Tests.ActiveSync;

/// <summary>
/// Ping against the real server (client-requirements A.3.4): bounds, the remembered folder list, changes since the
/// last Sync answered at once, a change made over IMAP waking a waiting Ping, and one waiting Ping per device.
/// </summary>
[NonParallelizable]
public sealed class PingTests : EasFixture
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.Ping;
    private static readonly XNamespace AirSync = ActiveSyncNamespaces.AirSync;
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Test]
    public async Task EAS_PING_01_02_04_Bounds_MissingParameters_UnknownFolder()
    {
        using var phone = await SyncedPhoneAsync("pingbounds");
        var (_, missing) = await phone.Device.PostAsync("Ping", new XElement(Ns + "Ping"));
        Assert.That(Status(missing!), Is.EqualTo("3"), "no folders and no heartbeat remembered yet");

        var (_, tooShort) = await phone.Device.PostAsync("Ping", PingRequest(30, phone.InboxId));
        Assert.That((Status(tooShort!), tooShort!.Element(Ns + "HeartbeatInterval")?.Value), Is.EqualTo(("5", "60")));
        var (_, tooLong) = await phone.Device.PostAsync("Ping", PingRequest(4000, phone.InboxId));
        Assert.That((Status(tooLong!), tooLong!.Element(Ns + "HeartbeatInterval")?.Value), Is.EqualTo(("5", "3540")));
        var (_, unknown) = await phone.Device.PostAsync("Ping", PingRequest(480, "999999"));
        Assert.That(Status(unknown!), Is.EqualTo("7"), "a folder the device should not know: FolderSync first");
    }

    [Test]
    public async Task EAS_PING_02_03_AChangeOverImap_WakesAWaitingPing_AndAChangeBeforeThePingAnswersAtOnce()
    {
        using var phone = await SyncedPhoneAsync("pingwake");
        var ping = phone.Device.PostAsync("Ping", PingRequest(480, phone.InboxId));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.That(ping.IsCompleted, Is.False, "nothing changed since the last Sync: the Ping waits");

        await AppendAsync("wakes the phone");
        var (_, woken) = await ping.WaitAsync(Generous);
        Assert.That(Status(woken!), Is.EqualTo("2"));
        Assert.That(woken!.Descendants(Ns + "Folder").Select(f => f.Value), Is.EqualTo(new[] { phone.InboxId }));

        // Not synced since: the next Ping (body left out, the list is remembered) answers at once (3.1.5.8).
        var (_, again) = await phone.Device.PostAsync("Ping", null).WaitAsync(Generous);
        Assert.That(Status(again!), Is.EqualTo("2"));
    }

    [Test]
    public async Task EAS_PING_05_AnotherRequestFromTheDevice_EndsItsWaitingPing()
    {
        using var phone = await SyncedPhoneAsync("pingreplaced");
        var ping = phone.Device.PostAsync("Ping", PingRequest(480, phone.InboxId));
        await Task.Delay(TimeSpan.FromSeconds(1));
        await phone.Device.PostAsync("FolderSync", Eas.FolderSync("0"));
        var (_, ended) = await ping.WaitAsync(Generous);
        Assert.That(Status(ended!), Is.EqualTo("1"));
    }

    private sealed record SyncedPhone(EasDevice Device, string InboxId) : IDisposable
    {
        public void Dispose() => Device.Dispose();
    }

    /// <summary>A provisioned phone that has synced its INBOX to the end, so nothing is pending for it.</summary>
    private async Task<SyncedPhone> SyncedPhoneAsync(string deviceId)
    {
        var device = new EasDevice(Server, deviceId, "iPhone", "16.1");
        await device.ProvisionAsync();
        var (_, folders) = await device.PostAsync("FolderSync", Eas.FolderSync("0"));
        var inboxId = Eas.Value(folders!.Descendants(Eas.Folders + "Add").Single(a => Eas.Value(a, Eas.Folders + "Type") == "2"), Eas.Folders + "ServerId");
        var key = "0";
        while (true)
        {
            var (_, synced) = await device.PostAsync("Sync", new XElement(AirSync + "Sync", new XElement(AirSync + "Collections",
                new XElement(AirSync + "Collection", new XElement(AirSync + "SyncKey", key), new XElement(AirSync + "CollectionId", inboxId),
                    key == "0" ? null : new XElement(AirSync + "GetChanges"), new XElement(AirSync + "WindowSize", 100)))));
            var previous = key;
            key = Eas.Value(synced!, AirSync + "SyncKey");
            if (previous != "0" && !synced!.Descendants(AirSync + "MoreAvailable").Any())
                return new SyncedPhone(device, inboxId);
        }
    }

    private async Task AppendAsync(string subject)
    {
        using var imap = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await imap.ConnectAsync("127.0.0.1", Server.ImapsPort, SecureSocketOptions.SslOnConnect);
        await imap.AuthenticateAsync(EasServer.User, EasServer.Password);
        await imap.Inbox.AppendAsync(new MimeMessage([MailboxAddress.Parse("bob@example.org")], [MailboxAddress.Parse(EasServer.User)], subject,
            new TextPart("plain") { Text = "hello" }));
    }

    private static XElement PingRequest(int heartbeat, string folder)
        => new(Ns + "Ping", new XElement(Ns + "HeartbeatInterval", heartbeat),
            new XElement(Ns + "Folders", new XElement(Ns + "Folder", new XElement(Ns + "Id", folder), new XElement(Ns + "Class", "Email"))));

    private static string Status(XElement answer) => answer.Element(Ns + "Status")!.Value;
}
