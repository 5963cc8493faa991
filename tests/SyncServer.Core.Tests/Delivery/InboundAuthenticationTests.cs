using System.Text;
using SyncServer.Core.Delivery;
using SyncServer.Core.MailAuth;
using SyncServer.Core.Model;
using SyncServer.Core.Tests.MailAuth;

namespace SyncServer.Core.Tests.Delivery;

/// <summary>Issue 3 item 7 in delivery: the checks' header in the trace prefix on MX only, and the DMARC policy applied.</summary>
public sealed class InboundAuthenticationTests : DeliveryTests
{
    // The sender's domain publishes SPF for another network than Mx's 192.0.2.7, so mail from there fails DMARC.
    private MemoryDns _dns = null!;

    [SetUp]
    public async Task CreateAsync()
    {
        await UserAsync("alice@example.com");
        _dns = new MemoryDns().Txt("remote.example", "v=spf1 ip4:198.51.100.0/24 -all");
        Authentication = new InboundAuthenticator(_dns, "mail.example.com");
    }

    private async Task<string> PrefixOfAsync(Item item) => Encoding.UTF8.GetString(await ContentAsync(item))[..^Message.Length];

    [Test]
    public async Task Mx_copy_carries_authentication_results_above_received()
    {
        _dns.Txt("_dmarc.remote.example", "v=DMARC1; p=none");
        await DeliverAsync("alice@example.com");
        var prefix = await PrefixOfAsync((await ItemsAsync("alice@example.com")).Single());
        Assert.That(prefix, Does.Match(
            "^Return-Path: <sender@remote.example>\r\nDelivered-To: alice@example.com\r\nAuthentication-Results: mail.example.com;\r\n\tspf=fail smtp.mailfrom=remote.example;\r\n\tdkim=none;\r\n\tdmarc=fail \\(p=none\\) header.from=remote.example\r\nReceived: from mx.remote.example"));
    }

    [Test]
    public async Task Submitted_mail_is_not_checked()
    {
        await DeliverAsync(Submission("alice@example.com"), "alice@example.com", ["alice@example.com"]);
        var prefix = await PrefixOfAsync((await ItemsAsync("alice@example.com")).Single());
        Assert.Multiple(() =>
        {
            Assert.That(prefix, Does.Not.Contain("Authentication-Results"));
            Assert.That(_dns.Queries, Is.Empty);
        });
    }

    [Test]
    public async Task Dmarc_reject_is_refused_with_550_5_7_1_when_enforced_and_nothing_is_stored()
    {
        _dns.Txt("_dmarc.remote.example", "v=DMARC1; p=reject");
        Options.EnforceDmarcReject = true;
        var (_, atCommit) = await DeliverAsync("alice@example.com");
        Assert.Multiple(async () =>
        {
            Assert.That(atCommit.Single().Status, Is.EqualTo(DeliveryStatus.DmarcRejected));
            Assert.That((atCommit.Single().Status.Code, atCommit.Single().Status.EnhancedCode), Is.EqualTo((550, "5.7.1")));
            Assert.That(await ItemsAsync("alice@example.com"), Is.Empty);
            Assert.That(BlobFiles(), Is.Empty);
        });
    }

    [TestCase("v=DMARC1; p=reject", false, CollectionRole.Junk)]
    [TestCase("v=DMARC1; p=quarantine", true, CollectionRole.Junk)]
    [TestCase("v=DMARC1; p=none", true, CollectionRole.Inbox)]
    public async Task Dmarc_failure_is_filed_by_policy_when_not_refused(string record, bool enforce, CollectionRole expected)
    {
        _dns.Txt("_dmarc.remote.example", record);
        Options.EnforceDmarcReject = enforce;
        var (_, atCommit) = await DeliverAsync("alice@example.com");
        Assert.Multiple(async () =>
        {
            Assert.That(atCommit.Single().Status, Is.EqualTo(DeliveryStatus.Delivered));
            Assert.That(await ItemsAsync("alice@example.com", expected), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Aligned_mail_is_delivered_to_inbox_even_under_p_reject()
    {
        // A zone of its own: here the sender's SPF covers the MX origin's address.
        _dns = new MemoryDns().Txt("remote.example", "v=spf1 ip4:192.0.2.0/24 -all").Txt("_dmarc.remote.example", "v=DMARC1; p=reject");
        Authentication = new InboundAuthenticator(_dns, "mail.example.com");
        Options.EnforceDmarcReject = true;
        await DeliverAsync("alice@example.com");
        Assert.That(await PrefixOfAsync((await ItemsAsync("alice@example.com")).Single()), Does.Contain("spf=pass").And.Contain("dmarc=pass"));
    }
}
