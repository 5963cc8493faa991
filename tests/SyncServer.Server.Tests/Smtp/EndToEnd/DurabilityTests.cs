using System.Collections.Concurrent;
using System.Security.Cryptography;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SyncServer.Core.Store;

namespace SyncServer.Server.Tests.Smtp.EndToEnd;

/// <summary>
/// A crash while clients send (issue 3, durability): every message answered 250 is in the store after a restart,
/// in each of its two recipients' mailboxes, and the store holds no half-written item (every item has its whole
/// blob, no message twice in a mailbox). Each recipient account commits on its own, so a message the kill caught
/// between the two commits (never answered 250) may be in one mailbox only; the client sends it again, as SMTP
/// expects of an unanswered transaction.
/// </summary>
[NonParallelizable]
public sealed class DurabilityTests
{
    private const string User = "dave@example.org";
    private const string SecondRecipient = "erin@example.org";
    private const int Clients = 8;

    [Test]
    public async Task Sigkill_while_8_clients_submit_loses_no_accepted_message_and_leaves_nothing_half_delivered()
    {
        await using var serve = await SmtpServe.StartAsync(User, SecondRecipient);
        var accepted = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var senders = Enumerable.Range(0, Clients).Select(i => SendUntilFailureAsync(serve.Submission, i, accepted, stop.Token)).ToList();
        // Kill once every client is mid-stream with a few messages behind it.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (accepted.Count < 4 * Clients && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        serve.Kill();
        await stop.CancelAsync();
        await Task.WhenAll(senders);
        Assert.That(accepted, Has.Count.GreaterThanOrEqualTo(Clients), "messages accepted before the kill");

        await serve.RestartAsync();
        Assert.That(Directory.GetFiles(serve.SpoolDirectory), Is.Empty, "spool files of the killed run are removed at startup");
        var items = await serve.AllItemsAsync();
        foreach (var mailbox in new[] { User, SecondRecipient })
        {
            var stored = (await serve.InboxItemsAsync(mailbox)).Select(i => i.Item.Mail?.MessageId).ToList();
            Assert.That(accepted.Select(id => $"<{id}>").Where(id => !stored.Contains(id)), Is.Empty, $"accepted but lost for {mailbox}");
            Assert.That(stored.Distinct().Count(), Is.EqualTo(stored.Count), $"each message stored once in {mailbox}");
        }
        await using var opened = await serve.OpenStoreAsync();
        foreach (var item in items)
            Assert.That(await BlobHashAsync(opened.Blobs, item), Is.EqualTo(item.BlobId.ToString()), $"blob of {item.Mail?.MessageId}");
    }

    /// <summary>Submits messages on one connection until the server goes away; records the Message-ID of each one answered 250.</summary>
    private static async Task SendUntilFailureAsync(int port, int client, ConcurrentBag<string> accepted, CancellationToken stop)
    {
        using var smtp = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        try
        {
            await smtp.ConnectAsync("127.0.0.1", port, SecureSocketOptions.StartTls);
            await smtp.AuthenticateAsync(User, SmtpServe.Password);
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var message = Message($"{client}.{n}.{Guid.NewGuid():N}@durability.test");
                await smtp.SendAsync(message);
                accepted.Add(message.MessageId!);
            }
        }
        catch (Exception e) when (e is IOException or SmtpProtocolException or SmtpCommandException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            // The server was killed: whatever this client was sending did not get 250.
        }
    }

    private static MimeMessage Message(string messageId)
    {
        var message = new MimeMessage { MessageId = messageId, Subject = "durability" };
        message.From.Add(MailboxAddress.Parse(User));
        message.To.Add(MailboxAddress.Parse(User));
        message.To.Add(MailboxAddress.Parse(SecondRecipient));
        // 64 KiB, so the kill often lands while a body is being spooled or stored.
        message.Body = new TextPart("plain") { Text = string.Concat(Enumerable.Repeat(messageId + " durability line\r\n", 64 * 1024 / 80)) };
        return message;
    }

    /// <summary>SHA-256 of the item's blob (the blob id), after checking that the prefix and blob make up the item's size.</summary>
    private static async Task<string> BlobHashAsync(IBlobStore blobs, Core.Model.Item item)
    {
        if (!blobs.Exists(item.BlobId))
            return "missing";
        await using var blob = blobs.OpenRead(item.BlobId);
        Assert.That(item.HeaderPrefix.Length + blob.Length, Is.EqualTo(item.Size), $"size of {item.Mail?.MessageId}");
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(blob));
    }
}
