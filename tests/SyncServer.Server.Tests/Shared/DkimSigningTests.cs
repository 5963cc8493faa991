using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Cryptography;
using SyncServer.Server.Hosting;
using SyncServer.Server.Shared;

namespace SyncServer.Server.Tests.Shared;

public sealed class DkimSigningTests
{
    private const string Message =
        "From: Alice <alice@example.org>\r\nTo: Bob <bob@remote.example>\r\nSubject: signed\r\nDate: Wed, 25 Nov 2026 10:00:00 +0000\r\n" +
        "Message-ID: <dkim-1@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
        "Grüße aus Köln\r\n";

    private string _directory = null!;
    private DkimKeys _keys = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Path.Combine(Path.GetTempPath(), "syncserver-dkim-" + Guid.NewGuid().ToString("N"));
        _keys = new DkimKeys(_directory);
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task SignedMessage_VerifiesWithThePublishedKey_AndFailsOnceChanged()
    {
        var signed = await SignAsync("example.org");
        var message = MimeMessage.Load(new MemoryStream(signed));
        var signature = message.Headers[message.Headers.IndexOf(HeaderId.DkimSignature)];
        Assert.That(signature.Value, Does.Contain("d=example.org").And.Contain("s=syncserver").And.Contain("c=relaxed/relaxed").And.Contain("a=rsa-sha256"));

        var verifier = new DkimVerifier(new RecordLocator(await _keys.GetDnsRecordAsync("example.org", CancellationToken.None)));
        Assert.That(await verifier.VerifyAsync(message, signature), Is.True);

        message.Subject = "tampered";
        Assert.That(await verifier.VerifyAsync(message, signature), Is.False);
    }

    [Test]
    public async Task Key_IsMadeOnce_PrivateToTheOwner_AndSharedByEveryInstance()
    {
        var record = await _keys.GetDnsRecordAsync("Example.ORG", CancellationToken.None);
        var file = Path.Combine(_directory, "example.org.pem");
        if (!OperatingSystem.IsWindows())
            Assert.That(File.GetUnixFileMode(file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(await new DkimKeys(_directory).GetDnsRecordAsync("example.org", CancellationToken.None), Is.EqualTo(record));
        Assert.That(record, Does.Match("^v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]{390,}$"));
        Assert.ThrowsAsync<ArgumentException>(() => _keys.GetDnsRecordAsync("../etc", CancellationToken.None));
    }

    [Test]
    public void ZoneLine_SplitsTheRecordIntoStringsOfAtMost255()
    {
        var record = "v=DKIM1; k=rsa; p=" + new string('A', 400);
        var line = DkimKeys.ZoneLine("syncserver", "example.org", record);
        Assert.That(line, Does.StartWith("syncserver._domainkey.example.org IN TXT \""));
        var strings = Regex.Matches(line, "\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.That(strings.Select(s => s.Length), Is.EqualTo(new[] { 255, record.Length - 255 }));
        Assert.That(string.Concat(strings), Is.EqualTo(record));
    }

    private async Task<byte[]> SignAsync(string domain)
    {
        var output = new MemoryStream();
        await new DkimSigning(_keys, new DkimSettings()).SignAsync(new MemoryStream(Encoding.UTF8.GetBytes(Message)), output, domain, CancellationToken.None);
        return output.ToArray();
    }
}
