using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SyncServer.Core.Model;
using SyncServer.Server.Tests.Smtp.EndToEnd;
using SyncServer.Server.Tests.Smtp.Outbound;

namespace SyncServer.Server.Tests.Smtp.Filters;

/// <summary>
/// Issue 3 item 8 end to end: the real <c>serve</c> asks a real spamd and a real clamd (started here on loopback ports)
/// about mail arriving on the MX and on submission, and MailKit sees the answers. Junk from score 5, refused from 2000
/// (so GTUBE's 1000 is junked and the local rule's 2500 is refused), fail-closed.
/// </summary>
[NonParallelizable]
public sealed class SpamAndVirusFilterTests
{
    private const string User = "bob@example.org";

    private FilterDaemon _spamd = null!;
    private FilterDaemon _clamd = null!;
    private DnsFixture _dns = null!;
    private SmtpServe _serve = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var spamd = FilterDaemon.StartSpamdAsync();
        var clamd = FilterDaemon.StartClamdAsync();
        (_spamd, _clamd) = (await spamd, await clamd);
        _dns = new DnsFixture();
        _serve = await SmtpServe.StartAsync(new Dictionary<string, string>
        {
            ["SYNCSERVER__DNS__SERVER"] = _dns.Server,
            ["SYNCSERVER__FILTERS__SPAM__SPAMD"] = _spamd.Endpoint,
            ["SYNCSERVER__FILTERS__SPAM__REJECTSCORE"] = "2000",
            ["SYNCSERVER__FILTERS__VIRUS__CLAMD"] = _clamd.Endpoint,
            ["SYNCSERVER__FILTERS__FAILMODE"] = "closed",
        }, User);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _serve.DisposeAsync();
        _dns.Dispose();
        await _spamd.DisposeAsync();
        await _clamd.DisposeAsync();
    }

    [Test]
    public async Task Clean_mail_goes_to_INBOX_with_spam_and_virus_headers()
    {
        var message = Message("A clean message", "Hello Bob, the minutes of Tuesday's meeting are attached below.");
        await SendAsync(_serve.Mx, message);
        var stored = Single(await _serve.InboxAsync(User), message);
        Assert.That(stored, Does.StartWith("Return-Path: <alice@remote.example>\r\nDelivered-To: bob@example.org\r\nX-Spam-Flag: NO\r\nX-Spam-Score: "));
        Assert.That(stored, Does.Match("\r\nX-Spam-Status: No, score=-?[0-9]+\\.[0-9] required=5\\.0 tests="));
        Assert.That(stored, Does.Contain("\r\nX-Virus-Scanned: ClamAV at mx.test\r\n"));
    }

    [Test]
    public async Task Gtube_is_flagged_and_filed_into_Junk()
    {
        var message = Message("Cheap watches", "Buy now: " + FilterDaemon.Gtube);
        await SendAsync(_serve.Mx, message);
        var junk = Single(await _serve.MailboxAsync(User, CollectionRole.Junk), message);
        Assert.That(junk, Does.Contain("\r\nX-Spam-Flag: YES\r\n"));
        Assert.That(junk, Does.Match("\r\nX-Spam-Status: Yes, score=10[0-9][0-9]\\.[0-9] required=5\\.0 tests=(.|\r\n\t)*GTUBE"));
        Assert.That(Stored(await _serve.InboxAsync(User), message), Is.Empty);
    }

    [Test]
    public async Task Score_over_the_reject_score_is_refused_with_554_5_7_1_and_nothing_is_stored()
    {
        var message = Message("Even cheaper watches", "Buy now: " + FilterDaemon.RejectToken);
        var refused = Assert.ThrowsAsync<SmtpCommandException>(() => SendAsync(_serve.Mx, message));
        Assert.That(((int)refused!.StatusCode, refused.Message), Is.EqualTo((554, "5.7.1 message refused as spam")));
        await AssertNothingStoredAsync(message);
    }

    [Test]
    public async Task Eicar_on_the_mx_is_refused_with_554_5_7_1_and_nothing_is_stored()
    {
        var message = Infected();
        var refused = Assert.ThrowsAsync<SmtpCommandException>(() => SendAsync(_serve.Mx, message));
        Assert.That(((int)refused!.StatusCode, refused.Message), Is.EqualTo((554, "5.7.1 message refused: virus SyncServer.Test.EICAR.UNOFFICIAL found")));
        await AssertNothingStoredAsync(message);
    }

    [Test]
    public async Task Eicar_submitted_by_a_user_is_refused_with_554_5_7_1()
    {
        var message = Infected();
        message.From.Clear();
        message.From.Add(MailboxAddress.Parse(User));
        using var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", _serve.Submission, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync(User, SmtpServe.Password);
        var refused = Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(message));
        Assert.That((int)refused!.StatusCode, Is.EqualTo(554));
        await AssertNothingStoredAsync(message);
    }

    private async Task AssertNothingStoredAsync(MimeMessage message)
    {
        Assert.That(Stored(await _serve.InboxAsync(User), message), Is.Empty);
        Assert.That(Stored(await _serve.MailboxAsync(User, CollectionRole.Junk), message), Is.Empty);
    }

    /// <summary>Sends <paramref name="message"/> from alice@remote.example to bob on <paramref name="port"/> (the MX: no authentication).</summary>
    internal static async Task SendAsync(int port, MimeMessage message)
    {
        using var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.StartTls);
        await client.SendAsync(message);
        await client.DisconnectAsync(true);
    }

    internal static MimeMessage Message(string subject, string text)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Alice Example", "alice@remote.example"));
        message.To.Add(new MailboxAddress("Bob Example", User));
        message.Subject = subject;
        message.Date = DateTimeOffset.UtcNow;
        message.MessageId = Guid.NewGuid().ToString("N") + "@remote.example";
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    /// <summary>A message with the EICAR test file as a base64 attachment.</summary>
    private static MimeMessage Infected()
    {
        var message = Message("The file you asked for", "");
        message.Body = new Multipart("mixed")
        {
            new TextPart("plain") { Text = "Here it is." },
            new MimePart("application", "octet-stream")
            {
                Content = new MimeContent(new MemoryStream(FilterDaemon.Eicar)),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = "eicar.com",
            },
        };
        return message;
    }

    internal static List<string> Stored(IReadOnlyList<byte[]> mailbox, MimeMessage message)
        => mailbox.Select(Encoding.UTF8.GetString).Where(m => m.Contains(message.MessageId!, StringComparison.Ordinal)).ToList();

    internal static string Single(IReadOnlyList<byte[]> mailbox, MimeMessage message)
    {
        var stored = Stored(mailbox, message);
        Assert.That(stored, Has.Count.EqualTo(1));
        return stored[0];
    }
}
