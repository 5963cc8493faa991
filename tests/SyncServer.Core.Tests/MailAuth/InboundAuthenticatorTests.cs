using System.Net;
using System.Security.Cryptography;
using System.Text;
using MimeKit;
using MimeKit.Cryptography;
using SyncServer.Core.MailAuth;

namespace SyncServer.Core.Tests.MailAuth;

/// <summary>Issue 3 item 7: the SPF/DKIM/DMARC result table over in-memory DNS records.</summary>
public sealed class InboundAuthenticatorTests
{
    private static readonly IPAddress SenderIp = IPAddress.Parse("192.0.2.25");
    private static readonly IPAddress OtherIp = IPAddress.Parse("198.51.100.99");
    private readonly RSA _key = RSA.Create(2048);
    private MemoryDns _dns = null!;

    [OneTimeTearDown]
    public void DisposeKey() => _key.Dispose();

    [SetUp]
    public void CreateZone()
        => _dns = new MemoryDns()
            .Txt("example.com", "v=spf1 ip4:192.0.2.0/24 -all")
            .Txt("bounce.example.com", "v=spf1 ip4:192.0.2.0/24 -all")
            .Txt("soft.example", "v=spf1 ip4:192.0.2.0/24 ~all")
            .Txt("other.example", "v=spf1 +all")
            .Txt("sel._domainkey.example.com", "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo()));

    private Task<AuthenticationVerdict> CheckAsync(IPAddress ip, string? mailFrom, byte[] message)
        => new InboundAuthenticator(_dns, "mx.test").CheckAsync(ip, "mail.sender.test", mailFrom, new MemoryStream(message), CancellationToken.None);

    private byte[] Message(string from = "alice@example.com", string? signAs = null, Action<MimeMessage>? afterSigning = null)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse("bob@mx.test"));
        message.Subject = "hello";
        message.Body = new TextPart("plain") { Text = "Hello Bob\r\n" };
        if (signAs is not null)
        {
            message.Prepare(EncodingConstraint.SevenBit);
            using var pem = new MemoryStream(Encoding.ASCII.GetBytes(_key.ExportRSAPrivateKeyPem()));
            var signer = new DkimSigner(pem, signAs, "sel") { HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed };
            signer.Sign(message, [HeaderId.From, HeaderId.To, HeaderId.Subject]);
        }
        afterSigning?.Invoke(message);
        using var bytes = new MemoryStream();
        message.WriteTo(bytes);
        return bytes.ToArray();
    }

    [Test]
    public async Task Spf_pass_aligned_is_dmarc_pass_and_the_header_reports_all_three()
    {
        _dns.Txt("_dmarc.example.com", "v=DMARC1; p=reject");
        var verdict = await CheckAsync(SenderIp, "alice@example.com", Message());
        Assert.That(verdict.Header, Is.EqualTo(
            "Authentication-Results: mx.test;\r\n\tspf=pass smtp.mailfrom=example.com;\r\n\tdkim=none;\r\n\tdmarc=pass (p=reject) header.from=example.com\r\n"));
    }

    [TestCase("alice@example.com", "spf=fail")]
    [TestCase("alice@soft.example", "spf=softfail")]
    [TestCase("alice@nospf.example", "spf=none")]
    [TestCase(null, "spf=none smtp.helo=mail.sender.test")]
    public async Task Spf_results_appear_in_the_header(string? mailFrom, string expected)
        => Assert.That((await CheckAsync(OtherIp, mailFrom, Message())).Header, Does.Contain(expected));

    [Test]
    public async Task Spf_permerror_on_too_many_lookups()
    {
        _dns.Txt("loop.example", "v=spf1 include:loop.example -all");
        Assert.That((await CheckAsync(SenderIp, "a@loop.example", Message())).Header, Does.Contain("spf=permerror"));
    }

    [Test]
    public async Task Dkim_signature_verifies_and_aligns_even_when_spf_fails()
    {
        _dns.Txt("_dmarc.example.com", "v=DMARC1; p=reject; adkim=s");
        var verdict = await CheckAsync(OtherIp, "alice@example.com", Message(signAs: "example.com"));
        Assert.Multiple(() =>
        {
            Assert.That(verdict.Header, Does.Contain("spf=fail").And.Contain("dkim=pass header.d=example.com").And.Contain("dmarc=pass"));
            Assert.That(verdict.DmarcFailed, Is.False);
        });
    }

    [Test]
    public async Task Dkim_fails_when_a_signed_header_changed()
    {
        var verdict = await CheckAsync(SenderIp, "alice@example.com", Message(signAs: "example.com", afterSigning: m => m.Subject = "changed"));
        Assert.That(verdict.Header, Does.Contain("dkim=fail header.d=example.com"));
    }

    [Test]
    public async Task Dkim_without_a_key_is_permerror_and_with_a_dns_failure_temperror()
    {
        _dns.Broken("sel._domainkey.broken.example");
        Assert.Multiple(async () =>
        {
            Assert.That((await CheckAsync(SenderIp, null, Message(signAs: "nokey.example"))).Header, Does.Contain("dkim=permerror header.d=nokey.example"));
            Assert.That((await CheckAsync(SenderIp, null, Message(signAs: "broken.example"))).Header, Does.Contain("dkim=temperror header.d=broken.example"));
        });
    }

    [Test]
    public async Task Relaxed_alignment_accepts_a_subdomain_and_strict_does_not()
    {
        _dns.Txt("_dmarc.example.com", "v=DMARC1; p=quarantine");
        var relaxed = await CheckAsync(SenderIp, "bounces@bounce.example.com", Message());
        CreateZone();
        _dns.Txt("_dmarc.example.com", "v=DMARC1; p=quarantine; aspf=s");
        var strict = await CheckAsync(SenderIp, "bounces@bounce.example.com", Message());
        Assert.Multiple(() =>
        {
            Assert.That(relaxed.Dmarc, Is.EqualTo(new DmarcOutcome(DmarcResult.Pass, DmarcPolicy.Quarantine)));
            Assert.That(strict.Dmarc, Is.EqualTo(new DmarcOutcome(DmarcResult.Fail, DmarcPolicy.Quarantine)));
        });
    }

    [Test]
    public async Task Spf_pass_for_an_unrelated_domain_is_unaligned_and_fails_dmarc()
    {
        _dns.Txt("_dmarc.example.com", "v=DMARC1; p=reject");
        var verdict = await CheckAsync(OtherIp, "spammer@other.example", Message(signAs: "other.example"));
        Assert.Multiple(() =>
        {
            Assert.That(verdict.Header, Does.Contain("spf=pass").And.Contain("dkim=permerror").And.Contain("dmarc=fail (p=reject) header.from=example.com"));
            Assert.That(verdict.Dmarc, Is.EqualTo(new DmarcOutcome(DmarcResult.Fail, DmarcPolicy.Reject)));
        });
    }

    [Test]
    public async Task A_subdomain_without_a_record_uses_the_organisational_domain_and_its_sp()
    {
        _dns.Txt("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine");
        var verdict = await CheckAsync(OtherIp, "x@other.example", Message(from: "news@news.example.com"));
        Assert.That(verdict.Dmarc, Is.EqualTo(new DmarcOutcome(DmarcResult.Fail, DmarcPolicy.Quarantine)));
    }

    [TestCase(null, DmarcResult.None)]
    [TestCase("v=DMARC1; p=bogus", DmarcResult.None)]
    [TestCase("not dmarc", DmarcResult.None)]
    public async Task Without_a_usable_record_dmarc_is_none(string? record, DmarcResult expected)
    {
        if (record is not null)
            _dns.Txt("_dmarc.example.com", record);
        Assert.That((await CheckAsync(OtherIp, "x@other.example", Message())).Dmarc.Result, Is.EqualTo(expected));
    }

    [Test]
    public async Task A_dns_failure_of_the_dmarc_record_is_temperror_not_a_failure()
    {
        _dns.Broken("_dmarc.example.com");
        var verdict = await CheckAsync(OtherIp, "x@other.example", Message());
        Assert.Multiple(() =>
        {
            Assert.That(verdict.Dmarc.Result, Is.EqualTo(DmarcResult.TempError));
            Assert.That(verdict.DmarcFailed, Is.False);
        });
    }

    [Test]
    public void Organisational_domain_is_the_last_two_labels()
        => Assert.That(DmarcCheck.OrganisationalDomain("a.b.example.com."), Is.EqualTo("example.com"));
}
