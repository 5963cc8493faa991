using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SyncServer.Core.Model;

namespace SyncServer.Server.Tests.Smtp.EndToEnd;

/// <summary>
/// SMTP has one reply after the data for all recipients. When one recipient, accepted at RCPT, fails at commit
/// (here: the message does not fit its quota) while another got its copy, the answer is 250 and the sender gets a
/// bounce (an RFC 3464 report) for the failed one instead of losing it silently.
/// </summary>
public sealed class MixedOutcomeTests
{
    private const string Full = "ivan@example.org";
    private const string Fine = "judy@example.org";

    [OneTimeSetUp]
    public async Task MakeTheAccountsAsync()
    {
        await using var opened = await RealServer.OpenStoreAsync();
        // 10 kB: empty, so RCPT accepts it; the 20 kB message below does not fit when it is committed.
        await opened.Directory.CreateAccountAsync(Full, "Ivan", "no login", 10_000, AccountKind.User, CancellationToken.None);
        await opened.Directory.CreateAccountAsync(Fine, "Judy", "no login", null, AccountKind.User, CancellationToken.None);
    }

    [Test]
    public async Task A_recipient_failing_at_commit_is_bounced_to_the_sender_after_250()
    {
        var message = new MimeMessage { Subject = "too big for one of you" };
        message.From.Add(MailboxAddress.Parse(RealServer.User));
        message.To.Add(MailboxAddress.Parse(Full));
        message.To.Add(MailboxAddress.Parse(Fine));
        message.Body = new TextPart("plain") { Text = string.Concat(Enumerable.Repeat(new string('q', 98) + "\r\n", 200)) };
        using (var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true })
        {
            await client.ConnectAsync("127.0.0.1", RealServer.Submission, SecureSocketOptions.StartTls);
            await client.AuthenticateAsync(RealServer.User, RealServer.Password);
            var reply = await client.SendAsync(message);
            Assert.That(reply, Does.StartWith("2.0.0 "), "one recipient got it, so the answer is 250");
        }

        Assert.That((await RealServer.InboxAsync(Fine)).Count(m => Encoding.UTF8.GetString(m).Contains(message.MessageId!)), Is.EqualTo(1));
        Assert.That(await RealServer.InboxAsync(Full), Is.Empty);
        var bounce = await BounceAboutAsync(message.MessageId!);
        var status = (MessageDeliveryStatus)((MultipartReport)bounce.Body!)[1];
        var recipient = status.StatusGroups.Single(g => g.Contains("Final-Recipient"));
        Assert.That((recipient["Final-Recipient"], recipient["Action"], recipient["Status"]), Is.EqualTo(($"rfc822; {Full}", "failed", "5.2.2")));
        Assert.That(status.StatusGroups.Where(g => g.Contains("Final-Recipient")).Select(g => g["Final-Recipient"]),
            Has.None.Contains(Fine), "only the failed recipient is reported");
    }

    /// <summary>Waits (the queue worker sends it) for the bounce in the sender's INBOX that carries the original's Message-ID.</summary>
    private static async Task<MimeMessage> BounceAboutAsync(string messageId)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var bounce = (await RealServer.InboxAsync(RealServer.User))
                .Select(m => MimeMessage.Load(new MemoryStream(m)))
                .FirstOrDefault(m => m.Subject == "Undelivered Mail Returned to Sender" && m.Body is MultipartReport report
                    && report[2] is TextRfc822Headers headers && headers.Message?.MessageId == messageId);
            if (bounce is not null)
                return bounce;
            await Task.Delay(100);
        }
        Assert.Fail("no bounce in 60 s; server said: " + RealServer.Stderr);
        throw new System.Diagnostics.UnreachableException();
    }
}
