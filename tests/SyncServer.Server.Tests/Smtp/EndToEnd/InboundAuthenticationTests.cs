using System.Text;
using SyncServer.Server.Tests.Shared;
using SyncServer.Server.Tests.Smtp.Outbound;

namespace SyncServer.Server.Tests.Smtp.EndToEnd;

/// <summary>Issue 3 item 7 end to end: mail to the MX from 127.0.0.1, checked against the fixture DNS.</summary>
public sealed class InboundAuthenticationTests
{
    /// <summary>The records <see cref="RealServer"/> serves: one domain that authorises loopback, one that rejects everything.</summary>
    public static DnsFixture Zone() => new DnsFixture()
        .Txt("aligned.example", "v=spf1 ip4:127.0.0.0/8 -all").Txt("_dmarc.aligned.example", "v=DMARC1; p=reject")
        .Txt("forged.example", "v=spf1 -all").Txt("_dmarc.forged.example", "v=DMARC1; p=reject");

    private static async Task<List<string>> SendAsync(string domain, string id, string extraHeaders = "")
    {
        await using var client = await RawLineClient.ConnectAsync(RealServer.Mx);
        await client.SendAsync($"EHLO client.{domain}\r\nMAIL FROM:<news@{domain}>\r\nRCPT TO:<{RealServer.User}>\r\nDATA\r\n"
            + $"{extraHeaders}From: <news@{domain}>\r\nMessage-ID: <{id}@{domain}>\r\nSubject: dmarc\r\n\r\nHello\r\n.\r\nQUIT\r\n");
        var replies = new List<string>();
        while (await client.ReadLineAsync() is { } line)
            replies.Add(line);
        return replies;
    }

    [Test]
    public async Task Aligned_mail_is_stored_with_authentication_results()
    {
        var id = Guid.NewGuid().ToString("N");
        var replies = await SendAsync("aligned.example", id);
        Assert.That(replies[^2], Is.EqualTo("250 2.0.0 Message accepted"));
        var stored = (await RealServer.InboxAsync(RealServer.User)).Select(Encoding.UTF8.GetString).Single(m => m.Contains(id));
        Assert.That(stored, Does.Contain("Authentication-Results: mx.test;\r\n\tspf=pass smtp.mailfrom=aligned.example;\r\n\tdkim=none;\r\n\tdmarc=pass (p=reject) header.from=aligned.example\r\nReceived: "));
    }

    [Test]
    public async Task Dmarc_failure_under_p_reject_is_refused_after_data()
    {
        var id = Guid.NewGuid().ToString("N");
        var replies = await SendAsync("forged.example", id);
        Assert.Multiple(async () =>
        {
            Assert.That(replies[^2], Does.StartWith("550 5.7.1 "));
            Assert.That((await RealServer.InboxAsync(RealServer.User)).Select(Encoding.UTF8.GetString).Where(m => m.Contains(id)), Is.Empty);
        });
    }

    /// <summary>
    /// A sender's own <c>Authentication-Results</c> naming our authserv-id stays in the stored bytes (they are kept
    /// exactly), but ours comes first: RFC 8601 §5 has readers use the topmost one from their own authserv-id.
    /// </summary>
    [Test]
    public async Task Our_authentication_results_come_before_a_forged_one_naming_us()
    {
        var id = Guid.NewGuid().ToString("N");
        var forged = "Authentication-Results: mx.test;\r\n\tspf=pass smtp.mailfrom=forged.example;\r\n\tdkim=pass header.d=forged.example;\r\n\tdmarc=pass header.from=forged.example\r\n";
        var replies = await SendAsync("aligned.example", id, forged);
        Assert.That(replies[^2], Is.EqualTo("250 2.0.0 Message accepted"));

        var stored = (await RealServer.InboxAsync(RealServer.User)).Single(m => Encoding.UTF8.GetString(m).Contains(id));
        var results = MimeKit.MimeMessage.Load(new MemoryStream(stored)).Headers
            .Where(h => h.Field == "Authentication-Results").Select(h => h.Value.Trim()).ToList();
        Assert.That(results, Has.Count.EqualTo(2));
        Assert.That(results[0], Does.StartWith("mx.test;").And.Contain("spf=pass smtp.mailfrom=aligned.example"), "ours, first");
        Assert.That(results[1], Does.Contain("forged.example"), "the sender's, kept as sent, below ours");
    }
}
