using System.Net;
using System.Net.Sockets;
using SyncServer.Core.MailAuth;
using SyncServer.Server.Hosting;
using SyncServer.Server.Shared;
using SyncServer.Server.Tests.Smtp.Outbound;

namespace SyncServer.Server.Tests.Shared;

/// <summary>The DnsClient-backed lookups the SPF, DKIM and DMARC checks use, against the fixture DNS server.</summary>
public sealed class DnsLookupTests
{
    private DnsFixture _fixture = null!;
    private DnsLookup _dns = null!;

    [SetUp]
    public void SetUp()
    {
        _fixture = new DnsFixture()
            .Txt("example.com", "v=spf1 mx -all").Txt("example.com", "unrelated")
            .Txt("long.example", "v=spf1 " + string.Join(' ', Enumerable.Range(1, 30).Select(i => $"ip4:192.0.2.{i}")) + " -all")
            .Mx("example.com", 10, "mail.example.com")
            .A("mail.example.com", IPAddress.Parse("192.0.2.25"));
        _dns = new DnsLookup(DnsLookup.CreateClient(new DnsSettings { Server = _fixture.Server }));
    }

    [TearDown]
    public void TearDown() => _fixture.Dispose();

    [Test]
    public async Task Txt_records_come_back_each_as_one_string()
    {
        var answer = await _dns.TxtAsync("example.com", CancellationToken.None);
        Assert.That((answer.Outcome, answer.Records), Is.EqualTo((DnsOutcome.Found, new[] { "v=spf1 mx -all", "unrelated" })));
    }

    [Test]
    public async Task A_txt_record_over_255_bytes_is_joined_from_its_strings()
        => Assert.That((await _dns.TxtAsync("long.example", CancellationToken.None)).Records.Single(), Does.StartWith("v=spf1 ip4:192.0.2.1 ").And.EndWith("ip4:192.0.2.30 -all"));

    [Test]
    public async Task Mx_and_addresses_are_found_and_an_unknown_name_is_nxdomain()
    {
        var mx = await _dns.MxAsync("example.com", CancellationToken.None);
        var a = await _dns.AddressesAsync("mail.example.com", AddressFamily.InterNetwork, CancellationToken.None);
        var aaaa = await _dns.AddressesAsync("mail.example.com", AddressFamily.InterNetworkV6, CancellationToken.None);
        var missing = await _dns.TxtAsync("nothing.example", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(mx.Records, Is.EqualTo(new[] { "mail.example.com" }));
            Assert.That(a.Records, Is.EqualTo(new[] { IPAddress.Parse("192.0.2.25") }));
            Assert.That((aaaa.Outcome, aaaa.IsVoid), Is.EqualTo((DnsOutcome.Found, true)));
            Assert.That(missing.Outcome, Is.EqualTo(DnsOutcome.NoSuchName));
        });
    }

    [Test]
    public async Task Spf_over_the_fixture_passes_the_mx_and_fails_others()
    {
        var spf = new SpfEvaluator(_dns);
        Assert.Multiple(async () =>
        {
            Assert.That(await spf.CheckAsync(IPAddress.Parse("192.0.2.25"), "a@example.com", "h", CancellationToken.None), Is.EqualTo(SpfResult.Pass));
            Assert.That(await spf.CheckAsync(IPAddress.Parse("192.0.2.26"), "a@example.com", "h", CancellationToken.None), Is.EqualTo(SpfResult.Fail));
            Assert.That(await spf.CheckAsync(IPAddress.Parse("192.0.2.30"), "a@long.example", "h", CancellationToken.None), Is.EqualTo(SpfResult.Pass));
        });
    }
}
