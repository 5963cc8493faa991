using System.Globalization;
using System.Net;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Server.Tests.Cli;
using SyncServer.Server.Tests.Smtp.EndToEnd;
using SyncServer.Storage;

namespace SyncServer.Server.Tests.Smtp.Outbound;

/// <summary>
/// A real <c>serve</c> process: mail submitted for another domain goes through local delivery into the queue and
/// out to the sink (found through the fixture DNS); a recipient the sink refuses comes back as a bounce in the
/// sender's INBOX.
/// </summary>
public sealed class OutboundEndToEndTests
{
    private const string User = "bob@example.org";
    private const string Password = "correct horse";

    [Test]
    public async Task Submitted_mail_for_another_domain_is_relayed_and_a_refused_recipient_bounces()
    {
        var data = Path.Combine(Path.GetTempPath(), "syncserver-outbound-e2e-" + Guid.NewGuid().ToString("N"));
        await using var sink = new SmtpSink { RcptReply = a => a.StartsWith("gone", StringComparison.Ordinal) ? "550 5.1.1 no such user" : "250 2.1.5 ok" };
        using var dns = new DnsFixture().Mx("remote.example", 10, "mx.remote.example").A("mx.remote.example", IPAddress.Loopback);
        Assert.That((await ServerProcess.RunAsync(data, null, "domain", "add", "example.org")).ExitCode, Is.Zero);
        Assert.That((await ServerProcess.RunAsync(data, Password + "\n", "user", "add", User, "--password-stdin")).ExitCode, Is.Zero);
        var submission = ServerProcess.FreePort();
        var environment = ServerProcess.EnvironmentListeningOn(("SUBMISSION", submission));
        environment["SYNCSERVER__SERVERNAME"] = "mta.example.org";
        environment["SYNCSERVER__DNS__SERVER"] = dns.Server;
        environment["SYNCSERVER__QUEUE__REMOTEPORT"] = sink.Port.ToString(CultureInfo.InvariantCulture);
        using var server = ServerProcess.Start(data, environment, "serve");
        try
        {
            var message = new MimeMessage { Subject = "to the world" };
            message.From.Add(MailboxAddress.Parse(User));
            message.To.Add(MailboxAddress.Parse("carol@remote.example"));
            message.Cc.Add(MailboxAddress.Parse("gone@remote.example"));
            message.Body = new TextPart("plain") { Text = "Hello from the queue" };
            await SubmitAsync(submission, message, server);

            await EventuallyAsync(() => Task.FromResult(!sink.Messages.IsEmpty), server);
            Assert.That(sink.Messages.Single().Recipients, Is.EqualTo(new[] { "carol@remote.example" }));
            Assert.That(sink.Messages.Single().Data, Does.Contain("Hello from the queue").And.Contain("Received: "));
            await EventuallyAsync(async () => (await InboxAsync(data)).Count == 1, server);
            Assert.That((await InboxAsync(data)).Single().Subject, Is.EqualTo("Undelivered Mail Returned to Sender"));
        }
        finally
        {
            await server.StopAsync(TimeSpan.FromSeconds(15));
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>
    /// Issue 3: a queue survives kill -9. 100 messages wait in the queue while the remote MX answers 4xx; the server
    /// is killed (SIGKILL, no shutdown code), the MX starts accepting, the server starts again over the same data:
    /// each message arrives exactly once (counted by Message-ID at the MX) and the queue ends empty.
    /// </summary>
    [Test]
    public async Task Hundred_queued_messages_survive_sigkill_and_arrive_once_each()
    {
        const int Count = 100;
        await using var sink = new SmtpSink { RcptReply = _ => "451 4.3.0 try again later" };
        using var dns = new DnsFixture().Mx("remote.example", 10, "mx.remote.example").A("mx.remote.example", IPAddress.Loopback);
        await using var serve = await SmtpServe.StartAsync(
            new Dictionary<string, string>
            {
                ["SYNCSERVER__DNS__SERVER"] = dns.Server,
                ["SYNCSERVER__QUEUE__REMOTEPORT"] = sink.Port.ToString(CultureInfo.InvariantCulture),
                ["SYNCSERVER__QUEUE__RETRYSCHEDULE"] = "2s",
            },
            User);

        var sent = new List<string>();
        using (var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true })
        {
            await client.ConnectAsync("127.0.0.1", serve.Submission, SecureSocketOptions.StartTls);
            await client.AuthenticateAsync(User, Password);
            for (var i = 0; i < Count; i++)
            {
                var message = new MimeMessage { Subject = $"queued {i}" };
                message.From.Add(MailboxAddress.Parse(User));
                message.To.Add(MailboxAddress.Parse($"r{i}@remote.example"));
                message.Body = new TextPart("plain") { Text = $"message {i}" };
                await client.SendAsync(message);
                sent.Add(message.MessageId!);
            }
            await client.DisconnectAsync(true);
        }
        // Every message queued and tried at least once (refused with 4xx) before the crash.
        await EventuallyAsync(async () =>
        {
            await using var opened = await serve.OpenStoreAsync();
            var queued = await opened.Queue.ListAsync(CancellationToken.None);
            return queued.Count == Count && queued.All(m => m.Recipients.Single().Attempts > 0);
        }, () => serve.Stderr);
        Assert.That(sink.Messages, Is.Empty);

        serve.Kill();
        sink.RcptReply = _ => "250 2.1.5 ok";
        await serve.RestartAsync();

        await EventuallyAsync(async () =>
        {
            await using var opened = await serve.OpenStoreAsync();
            return (await opened.Queue.ListAsync(CancellationToken.None)).Count == 0;
        }, () => serve.Stderr);
        var arrived = sink.Messages.Select(m => MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(m.Data))).MessageId).ToList();
        Assert.That(arrived, Is.EquivalentTo(sent), "every queued message once, none twice");
    }

    private static async Task SubmitAsync(int port, MimeMessage message, ServerProcess server)
    {
        using var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        for (var attempt = 0; !client.IsConnected; attempt++)
        {
            try
            {
                await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.StartTls);
            }
            catch (System.Net.Sockets.SocketException) when (attempt < 300 && !server.HasExited)
            {
                await Task.Delay(100);
            }
        }
        await client.AuthenticateAsync(User, Password);
        await client.SendAsync(message);
        await client.DisconnectAsync(true);
    }

    private static async Task<IReadOnlyList<MimeMessage>> InboxAsync(string data)
    {
        await using var opened = await StoreHost.OpenAsync(new StorageOptions { DataDirectory = data }, TimeProvider.System, CancellationToken.None);
        var account = (await opened.Directory.GetAccountAsync(User, CancellationToken.None))!;
        var inbox = (await opened.Store.ListCollectionsAsync(account.Id, CancellationToken.None)).Single(c => c.Role == CollectionRole.Inbox);
        var messages = new List<MimeMessage>();
        foreach (var item in await opened.Store.ListItemsAsync(inbox.Id, new ImapUid(0), int.MaxValue, CancellationToken.None))
        {
            await using var content = await ItemContent.OpenAsync(item, opened.Blobs, CancellationToken.None);
            messages.Add(await MimeMessage.LoadAsync(content));
        }
        return messages;
    }

    private static Task EventuallyAsync(Func<Task<bool>> condition, ServerProcess server) => EventuallyAsync(condition, () => server.Stderr);

    private static async Task EventuallyAsync(Func<Task<bool>> condition, Func<string> stderr)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (await condition())
                return;
            await Task.Delay(100);
        }
        Assert.Fail("not reached in 60 s; server said: " + stderr());
    }
}
