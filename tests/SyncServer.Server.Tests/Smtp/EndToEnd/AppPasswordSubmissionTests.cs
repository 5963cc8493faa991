using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace SyncServer.Server.Tests.Smtp.EndToEnd;

/// <summary>An app password is an SMTP AUTH password on submission and SMTPS (issue 3, item 1).</summary>
[NonParallelizable]
public sealed class AppPasswordSubmissionTests
{
    [Test]
    public async Task AppPassword_AuthenticatesSubmission_AndIsRefusedAfterRemoval()
    {
        const string user = "dave@example.org";
        await using var serve = await SmtpServe.StartAsync(user);
        var secret = (await serve.CliAsync(null, "user", "app-password", "add", user, "mail-app")).TrimEnd('\n');

        foreach (var (port, security) in new[] { (serve.Submission, SecureSocketOptions.StartTls), (serve.Smtps, SecureSocketOptions.SslOnConnect) })
        {
            using var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
            await client.ConnectAsync("127.0.0.1", port, security);
            await client.AuthenticateAsync(user, secret);
            var message = new MimeMessage([MailboxAddress.Parse(user)], [MailboxAddress.Parse(user)], "via app password", new TextPart("plain") { Text = "hi" });
            await client.SendAsync(message);
            await client.DisconnectAsync(true);
        }
        Assert.That(await serve.InboxAsync(user), Has.Count.EqualTo(2));

        await serve.CliAsync(null, "user", "app-password", "remove", user, "mail-app");
        using var refused = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await refused.ConnectAsync("127.0.0.1", serve.Submission, SecureSocketOptions.StartTls);
        Assert.ThrowsAsync<AuthenticationException>(() => refused.AuthenticateAsync(user, secret));
    }
}
