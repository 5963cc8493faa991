using System.Net;
using SyncServer.Server.Hosting;
using SyncServer.Server.Smtp.Outbound;

namespace SyncServer.Server.Tests.Smtp.Outbound;

/// <summary>RFC 5321 §5.1 and RFC 7505 against the fixture DNS server.</summary>
public sealed class MailExchangeResolverTests
{
    private DnsFixture _dns = null!;
    private DnsMailExchangeResolver _resolver = null!;

    [SetUp]
    public void SetUp()
    {
        _dns = new DnsFixture()
            .Mx("ordered.example", 20, "backup.ordered.example").Mx("ordered.example", 10, "primary.ordered.example")
            .A("primary.ordered.example", IPAddress.Parse("127.0.0.1")).A("backup.ordered.example", IPAddress.Parse("127.0.0.2"))
            .A("implicit.example", IPAddress.Parse("127.0.0.3"))
            .Mx("nullmx.example", 0, ".")
            .Mx("noaddress.example", 10, "nowhere.noaddress.example");
        _resolver = DnsMailExchangeResolver.Create(new DnsSettings { Server = _dns.Server });
    }

    [TearDown]
    public void TearDown() => _dns.Dispose();

    [Test]
    public async Task MxRecords_InPreferenceOrder_WithTheirAddresses()
    {
        var lookup = await _resolver.ResolveAsync("ordered.example", CancellationToken.None);
        Assert.That(lookup.Failure, Is.Null);
        Assert.That(lookup.Hosts.Select(h => (h.Host, h.Addresses.Single().ToString())),
            Is.EqualTo(new[] { ("primary.ordered.example", "127.0.0.1"), ("backup.ordered.example", "127.0.0.2") }));
    }

    [Test]
    public async Task NoMx_TheDomainItselfIsTheImplicitMx()
    {
        var lookup = await _resolver.ResolveAsync("implicit.example", CancellationToken.None);
        Assert.That(lookup.Hosts.Select(h => (h.Host, h.Addresses.Single().ToString())), Is.EqualTo(new[] { ("implicit.example", "127.0.0.3") }));
    }

    [TestCase("nullmx.example", 556, "5.1.10")]
    [TestCase("missing.example", 550, "5.1.2")]
    [TestCase("noaddress.example", 550, "5.1.2")]
    public async Task UndeliverableDomains_FailPermanently(string domain, int code, string enhancedCode)
    {
        var lookup = await _resolver.ResolveAsync(domain, CancellationToken.None);
        Assert.That(lookup.Hosts, Is.Empty);
        Assert.That((lookup.Failure?.Code, lookup.Failure?.EnhancedCode), Is.EqualTo(((int?)code, enhancedCode)));
    }
}
