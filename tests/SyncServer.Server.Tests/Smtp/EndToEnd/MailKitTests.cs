using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using MimeKit.Cryptography;
using SyncServer.Server.Tests.Shared;

namespace SyncServer.Server.Tests.Smtp.EndToEnd;

/// <summary>MailKit's SmtpClient against the real server: submission with STARTTLS, SMTPS, MX; refusals as clients see them.</summary>
public sealed class MailKitTests
{
    [TestCase(SecureSocketOptions.StartTls)]
    [TestCase(SecureSocketOptions.SslOnConnect)]
    public async Task Authenticated_submission_delivers_to_a_local_user(SecureSocketOptions security)
    {
        var log = new MemoryStream();
        using var client = await ConnectAsync(security == SecureSocketOptions.StartTls ? RealServer.Submission : RealServer.Smtps, security, log);
        await client.AuthenticateAsync(RealServer.User, RealServer.Password);
        var message = Message(RealServer.User, RealServer.User, "hello over " + security);
        await client.SendAsync(message);
        await client.DisconnectAsync(true);
        Assert.That(Encoding.UTF8.GetString(log.ToArray()), Does.Contain("S: 250 2.0.0 Message accepted"));

        var sent = new MemoryStream();
        await message.WriteToAsync(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, sent);
        var stored = (await RealServer.InboxAsync(RealServer.User)).Single(m => Encoding.UTF8.GetString(m).Contains(message.MessageId!));
        Assert.That(stored[^(int)sent.Length..], Is.EqualTo(sent.ToArray()), "the message as sent, after our trace headers");
        Assert.That(Encoding.ASCII.GetString(stored), Does.StartWith("Return-Path: <bob@example.org>").Or.Contain("Received: from client"));
    }

    [Test]
    public async Task Submitted_mail_is_stored_dkim_signed_for_the_sender_domain()
    {
        using var client = await ConnectAsync(RealServer.Submission, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync(RealServer.User, RealServer.Password);
        var message = Message(RealServer.User, RealServer.User, "signed on submission");
        await client.SendAsync(message);
        await client.DisconnectAsync(true);

        var stored = (await RealServer.InboxAsync(RealServer.User)).Single(m => Encoding.UTF8.GetString(m).Contains(message.MessageId!));
        Assert.That(stored.Where((b, i) => b == '\n' && (i == 0 || stored[i - 1] != '\r')), Is.Empty, "CRLF line ends only");
        var parsed = MimeMessage.Load(new MemoryStream(stored));
        var signature = parsed.Headers[parsed.Headers.IndexOf(HeaderId.DkimSignature)];
        Assert.That(signature.Value, Does.Contain("d=example.org"));
        var record = await RealServer.DkimKeys.GetDnsRecordAsync("example.org", CancellationToken.None);
        Assert.That(await new DkimVerifier(new RecordLocator(record)).VerifyAsync(parsed, signature), Is.True);
    }

    [Test]
    public async Task Auth_is_not_offered_before_starttls()
    {
        using var client = await ConnectAsync(RealServer.Submission, SecureSocketOptions.None);
        Assert.That(client.Capabilities.HasFlag(SmtpCapabilities.Authentication), Is.False);
        Assert.That(client.Capabilities.HasFlag(SmtpCapabilities.StartTLS), Is.True);
        Assert.ThrowsAsync<NotSupportedException>(() => client.AuthenticateAsync(RealServer.User, RealServer.Password));
        var refused = Assert.ThrowsAsync<ServiceNotAuthenticatedException>(() =>
            client.SendAsync(Message(RealServer.User, RealServer.User, "no auth")));
        Assert.That(refused!.Message, Does.Contain("STARTTLS"));
    }

    [Test]
    public async Task Wrong_password_is_535_and_repeated_failures_are_throttled_with_454()
    {
        for (var i = 0; i < 5; i++)
        {
            // A connection each: MailKit may try several mechanisms per attempt, and errors per session are limited too.
            using var guessing = await ConnectAsync(RealServer.Smtps, SecureSocketOptions.SslOnConnect);
            Assert.ThrowsAsync<AuthenticationException>(() => guessing.AuthenticateAsync(RealServer.ThrottledUser, "wrong"));
        }
        using var client = await ConnectAsync(RealServer.Smtps, SecureSocketOptions.SslOnConnect);
        var throttled = Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(RealServer.ThrottledUser, RealServer.Password));
        Assert.That(throttled!.InnerException, Is.TypeOf<SmtpCommandException>().With.Property("StatusCode").EqualTo((SmtpStatusCode)454));
    }

    [Test]
    public async Task Relay_attempt_on_mx_is_refused_with_554_5_7_1()
    {
        using var client = await ConnectAsync(RealServer.Mx, SecureSocketOptions.StartTls);
        var refused = Assert.ThrowsAsync<SmtpCommandException>(() =>
            client.SendAsync(Message("someone@elsewhere.example", "victim@elsewhere.example", "relay?")));
        Assert.That((int)refused!.StatusCode, Is.EqualTo(554), refused.Message);
        Assert.That(refused.Message, Does.Contain("relay"));
    }

    [Test]
    public async Task Message_of_51_MB_is_refused_with_552()
    {
        var log = new MemoryStream();
        using var client = await ConnectAsync(RealServer.Submission, SecureSocketOptions.StartTls, log);
        await client.AuthenticateAsync(RealServer.User, RealServer.Password);
        var message = Message(RealServer.User, RealServer.User, "too big");
        message.Body = new TextPart("plain") { Text = RealServer.FiftyOneMegabytes };
        var refused = Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(message));
        Assert.That((int)refused!.StatusCode, Is.EqualTo(552));
        Assert.That(Encoding.UTF8.GetString(log.ToArray()), Does.Contain("S: 552 5.3.4"), "refused by the server, not by MailKit");
    }

    private static async Task<SmtpClient> ConnectAsync(int port, SecureSocketOptions security, Stream? log = null)
    {
        var client = log is null ? new SmtpClient() : new SmtpClient(new ProtocolLogger(log, leaveOpen: true));
        client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        await client.ConnectAsync("127.0.0.1", port, security);
        return client;
    }

    private static MimeMessage Message(string from, string to, string subject)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = "Hello from the SMTP end-to-end tests." };
        return message;
    }
}
