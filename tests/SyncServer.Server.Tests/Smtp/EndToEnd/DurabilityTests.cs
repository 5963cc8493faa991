using System.Collections.Concurrent;
using System.Security.Cryptography;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SyncServer.Core.Store;

namespace SyncServer.Server.Tests.Smtp.EndToEnd;

/// <summary>
/// A crash while clients send (issue 3, durability): every message answered 250 is in the store after a restart,
/// in each of its recipients' mailboxes, and the store holds no half-written item (every item has its whole blob,
/// no message twice in a mailbox) and no half-delivered message: each recipient account commits on its own, so the
/// kill often lands between two of a message's commits; that message never got 250, and the restart rolls back
/// the copies it had (Core's UnfinishedDeliveries), so it is in all of its recipients' mailboxes or in none.
/// </summary>
[NonParallelizable]
public sealed class DurabilityTests
{
    private const string User = "dave@example.org";
    private static readonly string[] Recipients = [User, "erin@example.org", "frank@example.org", "grace@example.org", "heidi@example.org", "ivan@example.org"];
    private const int Clients = 8;

    [Test]
    public async Task Sigkill_while_8_clients_submit_loses_no_accepted_message_and_leaves_nothing_half_delivered()
    {
        await using var serve = await SmtpServe.StartAsync(Recipients);
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
        var storedIn = new Dictionary<string, List<string?>>();
        foreach (var mailbox in Recipients)
        {
            var stored = storedIn[mailbox] = (await serve.InboxItemsAsync(mailbox)).Select(i => i.Item.Mail?.MessageId).ToList();
            Assert.That(accepted.Select(id => $"<{id}>").Where(id => !stored.Contains(id)), Is.Empty, $"accepted but lost for {mailbox}");
            Assert.That(stored.Distinct().Count(), Is.EqualTo(stored.Count), $"each message stored once in {mailbox}");
        }
        var anywhere = storedIn.Values.SelectMany(ids => ids).Distinct().ToList();
        Assert.That(anywhere.Where(id => storedIn.Values.Any(ids => !ids.Contains(id))), Is.Empty, "delivered to some recipients only");
        TestContext.Out.WriteLine($"{accepted.Count} accepted, {anywhere.Count} stored; after restart: "
            + string.Join(" ", serve.Stderr.Split('\n').Where(l => l.Contains("Rolled back", StringComparison.Ordinal))));
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
        foreach (var recipient in Recipients)
            message.To.Add(MailboxAddress.Parse(recipient));
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
