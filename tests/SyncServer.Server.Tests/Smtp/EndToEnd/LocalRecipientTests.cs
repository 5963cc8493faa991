using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SyncServer.Core.Model;

namespace SyncServer.Server.Tests.Smtp.EndToEnd;

/// <summary>
/// Issue 3 acceptance: MailKit over submission (STARTTLS + AUTH) and over SMTPS delivers one message to a local
/// user, an alias, a catch-all, a 20-member list and a shared mailbox. Every final mailbox holds one copy: our
/// trace headers (and the DKIM signature of submission), then the bytes MailKit sent, unchanged; all copies share
/// one blob.
/// </summary>
public sealed class LocalRecipientTests
{
    private const string CatchAllDomain = "catchall.example";
    private static readonly string[] Members = Enumerable.Range(1, 20).Select(i => $"member{i:00}@example.org").ToArray();

    /// <summary>Who each recipient address ends up at.</summary>
    private static readonly (string Recipient, string[] Mailboxes)[] Routes =
    [
        ("frank@example.org", ["frank@example.org"]),
        ("sales@example.org", ["grace@example.org"]),
        ("anyone@" + CatchAllDomain, ["heidi@example.org"]),
        ("team@example.org", Members),
        ("info@example.org", ["info@example.org"]),
    ];

    [OneTimeSetUp]
    public async Task MakeTheDirectoryAsync()
    {
        var none = CancellationToken.None;
        await using var opened = await RealServer.OpenStoreAsync();
        var directory = opened.Directory;
        await directory.AddDomainAsync(CatchAllDomain, none);
        foreach (var user in new[] { "frank@example.org", "grace@example.org", "heidi@example.org" }.Concat(Members))
            await directory.CreateAccountAsync(user, user, "no login", null, AccountKind.User, none);
        await directory.AddAliasAsync("sales@example.org", ["grace@example.org"], none);
        await directory.AddAliasAsync("@" + CatchAllDomain, ["heidi@example.org"], none);
        await directory.AddListAsync(new DistributionList("team@example.org", PostingPolicy.Domain, Members, []), none);
        // A shared mailbox has no login of its own: frank reads it through a grant.
        var shared = await directory.CreateAccountAsync("info@example.org", "Info", "", null, AccountKind.Shared, none);
        var frank = (await directory.GetAccountAsync("frank@example.org", none))!;
        await directory.SetGrantAsync(new Grant(frank.Id, shared.Id, null, GrantRights.Read | GrantRights.Write), none);
    }

    [TestCase(SecureSocketOptions.StartTls)]
    [TestCase(SecureSocketOptions.SslOnConnect)]
    public async Task Each_kind_of_local_recipient_gets_the_bytes_as_sent(SecureSocketOptions security)
    {
        var message = new MimeMessage { Subject = "to everyone over " + security };
        message.From.Add(MailboxAddress.Parse(RealServer.User));
        message.To.AddRange(Routes.Select(r => MailboxAddress.Parse(r.Recipient)));
        message.Body = new TextPart("plain") { Text = "One message, many mailboxes.\r\n.a line starting with a dot\r\n" };
        var sent = new MemoryStream();
        await message.WriteToAsync(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, sent);

        using (var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true })
        {
            await client.ConnectAsync("127.0.0.1", security == SecureSocketOptions.StartTls ? RealServer.Submission : RealServer.Smtps, security);
            await client.AuthenticateAsync(RealServer.User, RealServer.Password);
            await client.SendAsync(message);
            await client.DisconnectAsync(true);
        }

        var blobs = new HashSet<BlobId>();
        foreach (var mailbox in Routes.SelectMany(r => r.Mailboxes))
        {
            var copies = (await RealServer.InboxItemsAsync(mailbox)).Where(c => Encoding.UTF8.GetString(c.Bytes).Contains(message.MessageId!)).ToList();
            Assert.That(copies, Has.Count.EqualTo(1), mailbox);
            var stored = copies[0].Bytes;
            Assert.That(stored[^(int)sent.Length..], Is.EqualTo(sent.ToArray()), $"{mailbox}: the message as sent, after our headers");
            var added = HeaderNames(stored[..^(int)sent.Length]);
            Assert.That(added, Is.EqualTo(new[] { "Return-Path", "Delivered-To", "Received", "DKIM-Signature" }), mailbox);
            Assert.That(Encoding.UTF8.GetString(stored), Does.StartWith($"Return-Path: <{RealServer.User}>\r\nDelivered-To: {mailbox}\r\n"));
            blobs.Add(copies[0].Item.BlobId);
        }
        Assert.That(blobs, Has.Count.EqualTo(1), "the body is stored once for all copies");
    }

    /// <summary>The field names of a header block (continuation lines skipped).</summary>
    private static List<string> HeaderNames(byte[] block)
        => Encoding.UTF8.GetString(block).Split("\r\n")
            .Where(line => line.Length > 0 && line[0] is not (' ' or '\t'))
            .Select(line => line[..line.IndexOf(':', StringComparison.Ordinal)])
            .ToList();
}
