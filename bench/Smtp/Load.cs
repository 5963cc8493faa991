using System.Diagnostics;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace SyncServer.Bench.Smtp;

/// <summary>The load: many connections sending to local users, each figure in messages per second.</summary>
public sealed class Load(int connections, IReadOnlyList<string> users, string password)
{
    /// <summary>The MX path: <paramref name="messages"/> messages of about <paramref name="size"/> octets over <see cref="connections"/> connections.</summary>
    public async Task<double> MxAsync(int port, int messages, int size)
    {
        var body = Messages.Body(size);
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            await using var client = await MxClient.ConnectAsync(port);
            for (int i; (i = Interlocked.Increment(ref next)) < messages;)
            {
                var recipient = users[i % users.Count];
                await client.SendAsync(recipient, Messages.Header(recipient), body);
            }
        }));
        return messages / watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Submission: STARTTLS and AUTH once per connection (the password check is deliberately slow), then
    /// <paramref name="messages"/> messages in all, each from the authenticated user to the next user.
    /// </summary>
    public async Task<double> SubmissionAsync(int port, int messages, int size)
    {
        var body = Messages.Body(size);
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
        {
            var (user, recipient) = (users[c % users.Count], users[(c + 1) % users.Count]);
            using var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
            await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.StartTls);
            await client.AuthenticateAsync(user, password);
            var message = MimeMessage.Load(new MemoryStream([.. Messages.Header(recipient), .. body]));
            message.From.Clear();
            message.From.Add(MailboxAddress.Parse(user));
            while (Interlocked.Increment(ref next) < messages)
            {
                message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("client.test");
                await client.SendAsync(message);
            }
            await client.DisconnectAsync(true);
        }));
        return messages / watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// <paramref name="sessions"/> MX sessions at once, each streaming a message of <paramref name="megabytes"/> MB
    /// (written in 1 MB pieces of one shared buffer); returns the seconds it took.
    /// </summary>
    public static async Task<double> ConcurrentLargeAsync(int port, int sessions, int megabytes, string recipient)
    {
        var piece = Messages.Body(1_000_000);
        var clients = await Task.WhenAll(Enumerable.Range(0, sessions).Select(_ => MxClient.ConnectAsync(port)));
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select(c => c.SendAsync(recipient, Messages.Header(recipient), piece, megabytes)));
        var seconds = watch.Elapsed.TotalSeconds;
        foreach (var client in clients)
            await client.DisposeAsync();
        return seconds;
    }
}
