using System.Net;
using SyncServer.Core.MailAuth;

namespace SyncServer.Core.Tests.MailAuth;

/// <summary>Issue 3 item 7: check_host() over in-memory DNS, using the examples of RFC 7208 Appendix A.</summary>
public sealed class SpfEvaluatorTests
{
    private MemoryDns _dns = null!;

    /// <summary>The zone of RFC 7208 Appendix A.</summary>
    [SetUp]
    public void CreateZone()
        => _dns = new MemoryDns()
            .A("example.com", "192.0.2.10").A("example.com", "192.0.2.11")
            .A("amy.example.com", "192.0.2.65")
            .A("bob.example.com", "192.0.2.66")
            .Mx("example.com", "mail-a.example.com").Mx("example.com", "mail-b.example.com")
            .A("mail-a.example.com", "192.0.2.129").A("mail-b.example.com", "192.0.2.130")
            .Mx("example.org", "mail-c.example.org")
            .A("mail-c.example.org", "192.0.2.140");

    /// <summary>check_host() for strong-bad@example.com with <paramref name="policy"/> (set once per test) as example.com's record.</summary>
    private Task<SpfResult> CheckAsync(string policy, string ip, string? mailFrom = "strong-bad@example.com")
    {
        if (!_dns.Has("example.com", policy))
            _dns.Txt("example.com", policy);
        return new SpfEvaluator(_dns).CheckAsync(IPAddress.Parse(ip), mailFrom, "mail.example.net", CancellationToken.None);
    }

    [TestCase("v=spf1 +all", "203.0.113.1", SpfResult.Pass)]
    [TestCase("v=spf1 a -all", "192.0.2.10", SpfResult.Pass)]
    [TestCase("v=spf1 a -all", "192.0.2.65", SpfResult.Fail)]
    [TestCase("v=spf1 a:example.org -all", "192.0.2.10", SpfResult.Fail)]
    [TestCase("v=spf1 mx -all", "192.0.2.129", SpfResult.Pass)]
    [TestCase("v=spf1 mx -all", "192.0.2.140", SpfResult.Fail)]
    [TestCase("v=spf1 mx:example.org -all", "192.0.2.140", SpfResult.Pass)]
    [TestCase("v=spf1 mx mx:example.org -all", "192.0.2.140", SpfResult.Pass)]
    [TestCase("v=spf1 mx/30 mx:example.org/30 -all", "192.0.2.131", SpfResult.Pass)]
    [TestCase("v=spf1 ip4:192.0.2.128/28 -all", "192.0.2.143", SpfResult.Pass)]
    [TestCase("v=spf1 ip4:192.0.2.128/28 -all", "192.0.2.144", SpfResult.Fail)]
    [TestCase("v=spf1 ip6:2001:db8::/32 -all", "2001:db8::1", SpfResult.Pass)]
    [TestCase("v=spf1 ip4:192.0.2.0/24 ~all", "::ffff:198.51.100.1", SpfResult.SoftFail)]
    [TestCase("v=spf1 ip4:192.0.2.0/24 ?all", "198.51.100.1", SpfResult.Neutral)]
    [TestCase("v=spf1 ip4:192.0.2.0/24", "198.51.100.1", SpfResult.Neutral)]
    [TestCase("v=spf1 ptr -all", "192.0.2.10", SpfResult.Fail)]
    [TestCase("v=spf1 -ip4:192.0.2.10 +all", "192.0.2.10", SpfResult.Fail)]
    public async Task Rfc7208_appendix_a_examples(string policy, string ip, SpfResult expected)
        => Assert.That(await CheckAsync(policy, ip), Is.EqualTo(expected));

    [TestCase("v=spf1 ip4:192.0.2.1/33 -all")]
    [TestCase("v=spf1 ip4:192.0.2 -all")]
    [TestCase("v=spf1 foo -all")]
    [TestCase("v=spf1 all:x")]
    [TestCase("v=spf1 redirect=a.example redirect=b.example")]
    [TestCase("v=spf1 include: -all")]
    public async Task Syntax_errors_are_permerror(string policy)
        => Assert.That(await CheckAsync(policy, "192.0.2.10"), Is.EqualTo(SpfResult.PermError));

    [Test]
    public async Task Unknown_modifiers_and_exp_are_ignored()
        => Assert.That(await CheckAsync("v=spf1 foo=bar exp=explain.%{d} a -all", "192.0.2.10"), Is.EqualTo(SpfResult.Pass));

    [Test]
    public async Task A_domain_without_a_record_is_none_and_two_records_permerror()
    {
        var spf = new SpfEvaluator(_dns.Txt("example.org", "v=spf1 -all").Txt("example.org", "v=spf1 +all").Txt("example.net", "some other text"));
        var ip = IPAddress.Parse("192.0.2.1");
        Assert.Multiple(async () =>
        {
            Assert.That(await spf.CheckAsync(ip, "a@nowhere.example", "h", CancellationToken.None), Is.EqualTo(SpfResult.None));
            Assert.That(await spf.CheckAsync(ip, "a@example.net", "h", CancellationToken.None), Is.EqualTo(SpfResult.None));
            Assert.That(await spf.CheckAsync(ip, "a@example.org", "h", CancellationToken.None), Is.EqualTo(SpfResult.PermError));
        });
    }

    [Test]
    public async Task Include_passes_through_pass_and_treats_fail_as_no_match()
    {
        _dns.Txt("_spf.example.net", "v=spf1 ip4:198.51.100.0/24 -all");
        Assert.Multiple(async () =>
        {
            Assert.That(await CheckAsync("v=spf1 include:_spf.example.net ~all", "198.51.100.7"), Is.EqualTo(SpfResult.Pass));
            Assert.That(await CheckAsync("v=spf1 include:_spf.example.net ~all", "203.0.113.7"), Is.EqualTo(SpfResult.SoftFail));
        });
    }

    [Test]
    public async Task Include_of_a_domain_without_policy_is_permerror()
        => Assert.That(await CheckAsync("v=spf1 include:nothing.example.net -all", "192.0.2.10"), Is.EqualTo(SpfResult.PermError));

    [Test]
    public async Task Redirect_applies_the_other_policy_and_a_redirect_to_none_is_permerror()
    {
        _dns.Txt("example.net", "v=spf1 ip4:198.51.100.0/24 -all");
        var spf = new SpfEvaluator(_dns.Txt("example.org", "v=spf1 redirect=example.net").Txt("example.info", "v=spf1 redirect=none.example.net"));
        Assert.Multiple(async () =>
        {
            Assert.That(await spf.CheckAsync(IPAddress.Parse("198.51.100.9"), "x@example.org", "h", CancellationToken.None), Is.EqualTo(SpfResult.Pass));
            Assert.That(await spf.CheckAsync(IPAddress.Parse("192.0.2.9"), "x@example.org", "h", CancellationToken.None), Is.EqualTo(SpfResult.Fail));
            Assert.That(await spf.CheckAsync(IPAddress.Parse("192.0.2.9"), "x@example.info", "h", CancellationToken.None), Is.EqualTo(SpfResult.PermError));
        });
    }

    [Test]
    public async Task More_than_ten_dns_lookups_is_permerror()
    {
        // Ten includes are allowed; the eleventh DNS-querying term is one too many.
        for (var i = 1; i <= 11; i++)
            _dns.Txt($"i{i}.example.net", "v=spf1 ?all");
        var includes = string.Join(' ', Enumerable.Range(1, 10).Select(i => $"include:i{i}.example.net"));
        Assert.Multiple(async () =>
        {
            Assert.That(await CheckAsync($"v=spf1 {includes} +all", "192.0.2.1"), Is.EqualTo(SpfResult.Pass));
            CreateZone();
            for (var i = 1; i <= 11; i++)
                _dns.Txt($"i{i}.example.net", "v=spf1 ?all");
            Assert.That(await CheckAsync($"v=spf1 {includes} include:i11.example.net +all", "192.0.2.1"), Is.EqualTo(SpfResult.PermError));
        });
    }

    [Test]
    public async Task More_than_two_void_lookups_is_permerror()
        => Assert.That(await CheckAsync("v=spf1 a:v1.example.net a:v2.example.net a:v3.example.net +all", "192.0.2.1"), Is.EqualTo(SpfResult.PermError));

    [Test]
    public async Task A_dns_failure_is_temperror()
    {
        _dns.Broken("broken.example.net");
        Assert.That(await CheckAsync("v=spf1 a:broken.example.net -all", "192.0.2.1"), Is.EqualTo(SpfResult.TempError));
    }

    [Test]
    public async Task Exists_expands_macros_rfc7208_section_7_4()
    {
        _dns.A("192.0.2.3._spf.strong-bad.example.com", "127.0.0.2");
        Assert.Multiple(async () =>
        {
            Assert.That(await CheckAsync("v=spf1 exists:%{i}._spf.%{l}.%{d} -all", "192.0.2.3"), Is.EqualTo(SpfResult.Pass));
            Assert.That(_dns.Queries, Does.Contain("192.0.2.3._spf.strong-bad.example.com"));
        });
    }

    [TestCase("%{s}", "strong-bad@email.example.com")]
    [TestCase("%{o}", "email.example.com")]
    [TestCase("%{d}", "email.example.com")]
    [TestCase("%{d4}", "email.example.com")]
    [TestCase("%{d3}", "email.example.com")]
    [TestCase("%{d2}", "example.com")]
    [TestCase("%{d1}", "com")]
    [TestCase("%{dr}", "com.example.email")]
    [TestCase("%{d2r}", "example.email")]
    [TestCase("%{l}", "strong-bad")]
    [TestCase("%{l-}", "strong.bad")]
    [TestCase("%{lr}", "strong-bad")]
    [TestCase("%{lr-}", "bad.strong")]
    [TestCase("%{l1r-}", "strong")]
    [TestCase("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com")]
    [TestCase("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com")]
    [TestCase("%{h}", "mail.example.net")]
    [TestCase("x%%%_%-", "x% %20")]
    public async Task Macro_examples_of_rfc7208_section_7_4(string spec, string expected)
    {
        var queries = await ExistsQueriesAsync(spec, "192.0.2.3");
        Assert.That(queries, Is.EqualTo(new[] { "email.example.com", expected }));
    }

    [Test]
    public async Task Ipv6_macro_is_dotted_nibbles()
        => Assert.That((await ExistsQueriesAsync("%{ir}.%{v}", "2001:db8::cb01"))[1],
            Is.EqualTo("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6"));

    [TestCase("%{x}")]
    [TestCase("%{d0}")]
    [TestCase("%{d")]
    [TestCase("%x")]
    public async Task Bad_macros_are_permerror(string spec)
    {
        _dns.Txt("email.example.com", $"v=spf1 exists:{spec} -all");
        var result = await new SpfEvaluator(_dns).CheckAsync(IPAddress.Parse("192.0.2.3"), "strong-bad@email.example.com", "h", CancellationToken.None);
        Assert.That(result, Is.EqualTo(SpfResult.PermError));
    }

    /// <summary>The names queried for <c>exists:spec</c> with the sender of RFC 7208 §7.4: the policy's TXT, then the expanded name.</summary>
    private async Task<List<string>> ExistsQueriesAsync(string spec, string ip)
    {
        _dns.Txt("email.example.com", $"v=spf1 exists:{spec} -all");
        await new SpfEvaluator(_dns).CheckAsync(IPAddress.Parse(ip), "strong-bad@email.example.com", "mail.example.net", CancellationToken.None);
        return _dns.Queries;
    }
}
