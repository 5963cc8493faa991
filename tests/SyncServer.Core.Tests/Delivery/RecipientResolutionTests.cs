using SyncServer.Core.Delivery;
using SyncServer.Core.Model;

namespace SyncServer.Core.Tests.Delivery;

public sealed class RecipientResolutionTests : DeliveryTests
{
    [Test]
    public async Task User_gets_one_copy_in_INBOX_answered_250_at_RCPT_and_commit()
    {
        await UserAsync("alice@example.com");
        var (atRcpt, atCommit) = await DeliverAsync("Alice@Example.com");
        Assert.That(atRcpt, Is.EqualTo(new[] { DeliveryStatus.Accepted }));
        Assert.That(atCommit, Is.EqualTo(new[] { new RecipientStatus("Alice@Example.com", DeliveryStatus.Delivered) }));
        Assert.That(await ItemsAsync("alice@example.com"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Alias_with_several_targets_and_an_alias_behind_it_delivers_to_each_account()
    {
        await UserAsync("alice@example.com");
        await UserAsync("bob@example.com");
        await Dir.AddAliasAsync("team-leads@example.com", ["alice@example.com", "sales@example.com"], None);
        await Dir.AddAliasAsync("sales@example.com", ["bob@example.com"], None);
        var (_, atCommit) = await DeliverAsync("team-leads@example.com");
        Assert.That(atCommit.Single().Status, Is.EqualTo(DeliveryStatus.Delivered));
        Assert.That((await ItemsAsync("alice@example.com")).Count + (await ItemsAsync("bob@example.com")).Count, Is.EqualTo(2));
    }

    [Test]
    public async Task Catch_all_takes_unknown_addresses_of_its_domain_but_not_known_ones()
    {
        await UserAsync("alice@example.com");
        await UserAsync("postmaster@example.com");
        await Dir.AddAliasAsync("@example.com", ["postmaster@example.com"], None);
        var (atRcpt, _) = await DeliverAsync(Mx, "sender@remote.example", ["whoever@example.com", "alice@example.com"]);
        Assert.That(atRcpt, Is.All.EqualTo(DeliveryStatus.Accepted));
        Assert.That(await ItemsAsync("postmaster@example.com"), Has.Count.EqualTo(1));
        Assert.That(await ItemsAsync("alice@example.com"), Has.Count.EqualTo(1));
    }

    [TestCase("Postmaster")]
    [TestCase("postmaster")]
    public async Task Postmaster_without_a_domain_is_the_postmaster_of_the_first_served_domain(string recipient)
    {
        await Dir.AddDomainAsync("z.example", None); // sorts after example.com
        await UserAsync("postmaster@example.com");
        var (atRcpt, atCommit) = await DeliverAsync(Mx, "sender@remote.example", [recipient]);
        Assert.That((atRcpt.Single(), atCommit.Single().Status), Is.EqualTo((DeliveryStatus.Accepted, DeliveryStatus.Delivered)));
        Assert.That(await ItemsAsync("postmaster@example.com"), Has.Count.EqualTo(1));
    }

    [TestCase(20)]
    [TestCase(500)]
    public async Task List_of_n_members_delivers_one_copy_to_each_member(int members)
    {
        var addresses = Enumerable.Range(1, members).Select(i => $"member{i}@example.com").ToList();
        foreach (var address in addresses)
            await UserAsync(address);
        await Dir.AddListAsync(new DistributionList("all@example.com", PostingPolicy.Anyone, addresses, []), None);

        var (atRcpt, atCommit) = await DeliverAsync("all@example.com");
        Assert.That((atRcpt.Single(), atCommit.Single().Status), Is.EqualTo((DeliveryStatus.Accepted, DeliveryStatus.Delivered)));
        foreach (var address in addresses)
            Assert.That(await ItemsAsync(address), Has.Count.EqualTo(1), address);
        Assert.That(BlobFiles(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Shared_mailbox_receives_in_its_INBOX()
    {
        await UserAsync("info@example.com", kind: AccountKind.Shared);
        var (_, atCommit) = await DeliverAsync("info@example.com");
        Assert.That(atCommit.Single().Status, Is.EqualTo(DeliveryStatus.Delivered));
        Assert.That(await ItemsAsync("info@example.com"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Unknown_user_of_a_local_domain_is_refused_with_550_5_1_1()
    {
        var (atRcpt, atCommit) = await DeliverAsync("nobody@example.com");
        Assert.That(atRcpt.Single(), Is.EqualTo(DeliveryStatus.UnknownUser));
        Assert.That(atCommit, Is.Empty);
    }

    [Test]
    public async Task Malformed_recipient_is_refused_with_501_5_1_3()
    {
        var (atRcpt, _) = await DeliverAsync("no-at-sign");
        Assert.That(atRcpt.Single(), Is.EqualTo(DeliveryStatus.BadRecipientAddress));
    }

    [Test]
    public async Task Disabled_account_is_refused_with_550_5_2_1()
    {
        var alice = await UserAsync("alice@example.com");
        await Dir.SetEnabledAsync(alice.Id, false, None);
        Assert.That((await DeliverAsync("alice@example.com")).AtRcpt.Single(), Is.EqualTo(DeliveryStatus.MailboxDisabled));
    }

    [Test]
    public async Task Relay_on_Mx_is_denied_with_554_5_7_1_even_when_a_relay_exists()
    {
        Relay = new RecordingRelay();
        Assert.That((await DeliverAsync("someone@elsewhere.example")).AtRcpt.Single(), Is.EqualTo(DeliveryStatus.RelayDenied));
        Assert.That(Relay.Messages, Is.Empty);
    }

    [Test]
    public async Task Submission_to_another_domain_goes_to_the_relay_with_its_DSN_and_our_Received_line()
    {
        await UserAsync("alice@example.com");
        Relay = new RecordingRelay();
        await using var delivery = await Target.BeginAsync(Submission("alice@example.com"), "alice@example.com", new DsnEnvelope(false, "env-1"), None);
        var dsn = new DsnRecipient(false, true, true, false, "rfc822;Friend@Elsewhere.example");
        Assert.That(await delivery.AddRecipientAsync("friend@elsewhere.example", dsn, None), Is.EqualTo(DeliveryStatus.Accepted));
        await delivery.WriteBodyAsync(Message, None);
        Assert.That((await delivery.CommitAsync(None)).Single().Status.Code, Is.EqualTo(250));

        var queued = Relay.Messages.Single();
        Assert.That((queued.MailFrom, queued.Recipients.Single(), queued.Dsn!.EnvelopeId, queued.BlobSize),
            Is.EqualTo(("alice@example.com", new RelayRecipient("friend@elsewhere.example", dsn), "env-1", (long)Message.Length)));
        Assert.That(System.Text.Encoding.UTF8.GetString(queued.HeaderPrefix.Span), Does.StartWith("Received: from laptop ([127.0.0.1])\r\n\tby mail.example.com with ESMTPSA id "));
    }

    [Test]
    public async Task External_list_member_without_a_relay_makes_the_list_answer_451_4_3_0()
    {
        await UserAsync("alice@example.com");
        await Dir.AddListAsync(new DistributionList("team@example.com", PostingPolicy.Anyone, ["alice@example.com", "friend@elsewhere.example"], []), None);
        Assert.That((await DeliverAsync("team@example.com")).AtRcpt.Single(), Is.EqualTo(DeliveryStatus.RelayUnavailable));
    }

    [Test]
    public async Task External_list_member_with_a_relay_is_queued_without_DSN_parameters()
    {
        await UserAsync("alice@example.com");
        await Dir.AddListAsync(new DistributionList("team@example.com", PostingPolicy.Anyone, ["alice@example.com", "friend@elsewhere.example"], []), None);
        Relay = new RecordingRelay();
        var (_, atCommit) = await DeliverAsync("team@example.com");
        Assert.That(atCommit.Single().Status.IsSuccess, Is.True);
        Assert.That(Relay.Messages.Single().Recipients, Is.EqualTo(new[] { new RelayRecipient("friend@elsewhere.example", null) }));
        Assert.That(await ItemsAsync("alice@example.com"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task List_inside_a_list_that_contains_the_first_delivers_once_to_each_member()
    {
        await UserAsync("alice@example.com");
        await UserAsync("bob@example.com");
        await Dir.AddListAsync(new DistributionList("outer@example.com", PostingPolicy.Anyone, ["alice@example.com", "inner@example.com"], []), None);
        await Dir.AddListAsync(new DistributionList("inner@example.com", PostingPolicy.Members, ["bob@example.com", "outer@example.com"], []), None);
        var (_, atCommit) = await DeliverAsync("outer@example.com");
        Assert.That(atCommit.Single().Status, Is.EqualTo(DeliveryStatus.Delivered));
        Assert.That(((await ItemsAsync("alice@example.com")).Count, (await ItemsAsync("bob@example.com")).Count), Is.EqualTo((1, 1)));
    }

    [Test]
    public async Task List_refuses_mail_from_its_own_address_with_550_5_4_6()
    {
        await UserAsync("alice@example.com");
        await Dir.AddListAsync(new DistributionList("team@example.com", PostingPolicy.Anyone, ["alice@example.com"], []), None);
        var (atRcpt, _) = await DeliverAsync(Mx, "team@example.com", ["team@example.com"]);
        Assert.That(atRcpt.Single(), Is.EqualTo(DeliveryStatus.RoutingLoop));
    }

    [Test]
    public async Task Alias_cycle_is_refused_as_a_routing_loop()
    {
        await Dir.AddAliasAsync("ping@example.com", ["pong@example.com"], None);
        await Dir.AddAliasAsync("pong@example.com", ["ping@example.com"], None);
        Assert.That((await DeliverAsync("ping@example.com")).AtRcpt.Single(), Is.EqualTo(DeliveryStatus.RoutingLoop));
    }

    [Test]
    public async Task Mailbox_reached_directly_through_a_list_and_through_an_alias_gets_one_copy()
    {
        await UserAsync("alice@example.com");
        await UserAsync("bob@example.com");
        await Dir.AddListAsync(new DistributionList("team@example.com", PostingPolicy.Anyone, ["alice@example.com", "bob@example.com"], []), None);
        await Dir.AddAliasAsync("boss@example.com", ["alice@example.com"], None);
        var (_, atCommit) = await DeliverAsync(Mx, "sender@remote.example", ["alice@example.com", "team@example.com", "boss@example.com", "ALICE@example.com"]);
        Assert.That(atCommit.Select(s => s.Status), Is.All.EqualTo(DeliveryStatus.Delivered));
        Assert.That(((await ItemsAsync("alice@example.com")).Count, (await ItemsAsync("bob@example.com")).Count), Is.EqualTo((1, 1)));
    }

    [Test]
    public async Task Recipients_beyond_the_limit_get_452_4_5_3()
    {
        await UserAsync("alice@example.com");
        Options.MaxRecipients = 2;
        var (atRcpt, atCommit) = await DeliverAsync(Mx, null, ["alice@example.com", "alice@example.com", "alice@example.com"]);
        Assert.That(atRcpt, Is.EqualTo(new[] { DeliveryStatus.Accepted, DeliveryStatus.Accepted, DeliveryStatus.TooManyRecipients }));
        Assert.That(atCommit, Has.Count.EqualTo(2));
    }
}
