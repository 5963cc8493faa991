using System.Text;
using System.Text.RegularExpressions;
using SyncServer.Core.Delivery;
using SyncServer.Core.Model;

namespace SyncServer.Core.Tests.Delivery;

/// <summary>What commit stores: bytes, trace headers, index, quota, Junk, one blob, nothing on abort.</summary>
public sealed partial class CommitTests : DeliveryTests
{
    [Test]
    public async Task Each_copy_is_its_trace_prefix_followed_by_exactly_the_submitted_bytes()
    {
        await UserAsync("alice@example.com");
        await UserAsync("bob@example.com");
        await DeliverAsync(Mx, "sender@remote.example", ["alice@example.com", "bob@example.com"]);
        foreach (var address in new[] { "alice@example.com", "bob@example.com" })
        {
            var item = (await ItemsAsync(address)).Single();
            var content = await ContentAsync(item);
            Assert.That(content[item.HeaderPrefix.Length..], Is.EqualTo(Message));
            Assert.That(content[..item.HeaderPrefix.Length], Is.EqualTo(item.HeaderPrefix.ToArray()));
            Assert.That(item.Size, Is.EqualTo(content.Length));
            var prefix = Encoding.UTF8.GetString(item.HeaderPrefix.Span);
            Assert.That(prefix, Does.Match(TracePrefix(address, forClause: "")), prefix);
        }
    }

    [Test]
    public async Task Received_line_names_the_recipient_only_when_there_is_one()
    {
        await UserAsync("alice@example.com");
        await DeliverAsync("alice@example.com");
        var prefix = Encoding.UTF8.GetString((await ItemsAsync("alice@example.com")).Single().HeaderPrefix.Span);
        Assert.That(prefix, Does.Match(TracePrefix("alice@example.com", forClause: "\r\n\tfor <alice@example.com>")), prefix);
    }

    [Test]
    public async Task Message_is_stored_once_as_one_blob_for_every_recipient()
    {
        var addresses = Enumerable.Range(1, 5).Select(i => $"user{i}@example.com").ToList();
        foreach (var address in addresses)
            await UserAsync(address);
        await DeliverAsync(Mx, "sender@remote.example", addresses);
        var items = new List<Item>();
        foreach (var address in addresses)
            items.AddRange(await ItemsAsync(address));
        Assert.That(items.Select(i => i.BlobId).Distinct().Count(), Is.EqualTo(1));
        Assert.That(BlobFiles(), Has.Count.EqualTo(1));
        Assert.That(SpoolFiles(), Is.Empty, "the spool file is gone once committed and disposed");
    }

    [Test]
    public async Task Mail_index_holds_the_decoded_header_fields()
    {
        await UserAsync("alice@example.com");
        await DeliverAsync("alice@example.com");
        var mail = (await ItemsAsync("alice@example.com")).Single().Mail!;
        Assert.That((mail.Subject, mail.From, mail.To, mail.MessageId, mail.SentDate, mail.Flags),
            Is.EqualTo(("Grüße", "Sender <sender@remote.example>", "alice@example.com", "<m1@remote.example>",
                (DateTimeOffset?)new DateTimeOffset(2025, 7, 1, 10, 0, 0, TimeSpan.Zero), MailFlags.None)));
    }

    [TestCase("")]
    [TestCase("no header block at all, just \0 bytes")]
    [TestCase("Subject: an endless header line without CRLF")]
    public async Task Message_without_a_proper_header_block_is_stored_as_sent(string text)
    {
        await UserAsync("alice@example.com");
        var body = Encoding.ASCII.GetBytes(text);
        var (_, atCommit) = await DeliverAsync(Mx, null, ["alice@example.com"], body);
        Assert.That(atCommit.Single().Status, Is.EqualTo(DeliveryStatus.Delivered));
        var item = (await ItemsAsync("alice@example.com")).Single();
        Assert.That((await ContentAsync(item))[item.HeaderPrefix.Length..], Is.EqualTo(body));
    }

    [Test]
    public async Task Full_mailbox_is_refused_at_RCPT_with_452_4_2_2()
    {
        var alice = await UserAsync("alice@example.com");
        await DeliverAsync("alice@example.com");
        await Dir.SetQuotaAsync(alice.Id, 10, None);
        Assert.That((await DeliverAsync("alice@example.com")).AtRcpt.Single(), Is.EqualTo(DeliveryStatus.MailboxFullTemporary));
    }

    [Test]
    public async Task Message_exceeding_the_quota_gets_552_5_2_2_at_commit_for_that_recipient_only()
    {
        await UserAsync("alice@example.com", quota: Message.Length);
        await UserAsync("bob@example.com", quota: 1_000_000);
        var (atRcpt, atCommit) = await DeliverAsync(Mx, "sender@remote.example", ["alice@example.com", "bob@example.com"]);
        Assert.That(atRcpt, Is.All.EqualTo(DeliveryStatus.Accepted), "empty mailboxes are not full yet");
        Assert.That(atCommit.Select(s => s.Status), Is.EqualTo(new[] { DeliveryStatus.MailboxFull, DeliveryStatus.Delivered }));
        Assert.That(((await ItemsAsync("alice@example.com")).Count, (await ItemsAsync("bob@example.com")).Count), Is.EqualTo((0, 1)));
    }

    [Test]
    public async Task Full_list_member_loses_its_copy_without_failing_the_list()
    {
        var alice = await UserAsync("alice@example.com");
        await UserAsync("bob@example.com");
        await DeliverAsync("alice@example.com");
        await Dir.SetQuotaAsync(alice.Id, 10, None);
        await Dir.AddListAsync(new DistributionList("team@example.com", PostingPolicy.Anyone, ["alice@example.com", "bob@example.com"], []), None);
        var (atRcpt, atCommit) = await DeliverAsync("team@example.com");
        Assert.That((atRcpt.Single(), atCommit.Single().Status), Is.EqualTo((DeliveryStatus.Accepted, DeliveryStatus.Delivered)));
        Assert.That(((await ItemsAsync("alice@example.com")).Count, (await ItemsAsync("bob@example.com")).Count), Is.EqualTo((1, 1)));
    }

    [Test]
    public async Task Account_whose_write_fails_gets_451_4_3_0_while_the_others_are_delivered()
    {
        await UserAsync("alice@example.com");
        var bob = await UserAsync("bob@example.com");
        // Between RCPT and commit bob's INBOX disappears, so filing into it fails.
        var statuses = await CommitAfterAsync(["alice@example.com", "bob@example.com"], async () =>
        {
            var inbox = (await Store.ListCollectionsAsync(bob.Id, None)).Single(c => c.Role == CollectionRole.Inbox);
            await using var transaction = await Store.BeginAsync(bob.Id, None);
            await transaction.DeleteCollectionAsync(inbox.Id, None);
            await transaction.CommitAsync(None);
        });
        Assert.That(statuses.Select(s => s.Status), Is.EqualTo(new[] { DeliveryStatus.Delivered, DeliveryStatus.TemporaryFailure }));
        Assert.That(await ItemsAsync("alice@example.com"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Account_removed_between_RCPT_and_commit_gets_550_5_1_1_while_the_others_are_delivered()
    {
        await UserAsync("alice@example.com");
        var bob = await UserAsync("bob@example.com");
        var statuses = await CommitAfterAsync(["alice@example.com", "bob@example.com"], () => Dir.RemoveAccountAsync(bob.Id, None));
        Assert.That(statuses.Select(s => s.Status), Is.EqualTo(new[] { DeliveryStatus.Delivered, DeliveryStatus.UnknownUser }));
        Assert.That(await ItemsAsync("alice@example.com"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Aborted_delivery_leaves_no_item_no_change_row_and_no_spool_file()
    {
        var alice = await UserAsync("alice@example.com");
        var inbox = (await Store.ListCollectionsAsync(alice.Id, None)).Single(c => c.Role == CollectionRole.Inbox);
        var before = (await Dir.GetAccountAsync(alice.Id, None))!.ModSeq;
        await using (var delivery = await Target.BeginAsync(Mx, "sender@remote.example", null, None))
        {
            await delivery.AddRecipientAsync("alice@example.com", null, None);
            await delivery.WriteBodyAsync(Message, None);
            Assert.That(SpoolFiles(), Has.Count.EqualTo(1));
        }
        Assert.That(await ItemsAsync("alice@example.com"), Is.Empty);
        Assert.That((await Store.GetChangesAsync(inbox.Id, ModSeq.Zero, 100, None)).Changes, Is.Empty);
        Assert.That((await Dir.GetAccountAsync(alice.Id, None))!.ModSeq, Is.EqualTo(before));
        Assert.That((SpoolFiles(), BlobFiles()), Is.EqualTo((Array.Empty<string>(), Array.Empty<string>())));
    }

    /// <summary>Adds the recipients and the body, runs <paramref name="meanwhile"/>, then commits.</summary>
    private async Task<IReadOnlyList<RecipientStatus>> CommitAfterAsync(string[] recipients, Func<Task> meanwhile)
    {
        await using var delivery = await Target.BeginAsync(Mx, "sender@remote.example", null, None);
        foreach (var recipient in recipients)
            Assert.That(await delivery.AddRecipientAsync(recipient, null, None), Is.EqualTo(DeliveryStatus.Accepted));
        await delivery.WriteBodyAsync(Message, None);
        await meanwhile();
        return await delivery.CommitAsync(None);
    }

    /// <summary>Return-Path, Delivered-To, then a folded Received line with a 16-hex-digit id and an RFC 5322 date.</summary>
    private static string TracePrefix(string deliveredTo, string forClause)
        => "^Return-Path: <sender@remote.example>\r\n" +
           $"Delivered-To: {Regex.Escape(deliveredTo)}\r\n" +
           "Received: from mx\\.remote\\.example \\(\\[192\\.0\\.2\\.7\\]\\)\r\n" +
           "\tby mail\\.example\\.com with ESMTP id [0-9a-f]{16}" + Regex.Escape(forClause) + ";\r\n" +
           "\t[A-Z][a-z]{2}, \\d{1,2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\r\n$";
}
