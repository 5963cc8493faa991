using System.Text;
using SyncServer.Core.Delivery;
using SyncServer.Core.Model;

namespace SyncServer.Core.Tests.Delivery;

/// <summary>
/// The verdict logic of the delivery filters (issue 3 item 8) over real local delivery: thresholds, channels and the
/// failure policy. The daemons themselves are exercised end to end in the server tests (real spamd and clamd).
/// </summary>
public sealed class ContentFilterTests : DeliveryTests
{
    private static ContentFilter Filters(ISpamClassifier? spam, IVirusScanner? virus = null, bool failOpen = false)
        => new(new ContentFilterOptions { JunkScore = 5, RejectScore = 15, FailOpen = failOpen }, spam, virus);

    [SetUp]
    public Task AliceAsync() => UserAsync("alice@example.com");

    [Test]
    public async Task Score_below_the_junk_score_goes_to_INBOX_with_spam_headers_in_the_prefix()
    {
        Filter = Filters(new Scores(1.5, "BAYES_00", "DKIM_VALID"), new Finds(null));
        var (_, atCommit) = await DeliverAsync("alice@example.com");
        Assert.That(atCommit.Single().Status, Is.EqualTo(DeliveryStatus.Delivered));
        var item = (await ItemsAsync("alice@example.com")).Single();
        Assert.That(Encoding.UTF8.GetString(item.HeaderPrefix.Span), Does.Contain(
            "X-Spam-Flag: NO\r\nX-Spam-Score: 1.5\r\nX-Spam-Status: No, score=1.5 required=5.0 tests=BAYES_00,DKIM_VALID\r\n" +
            "X-Virus-Scanned: test-scanner at mail.example.com\r\nReceived: "));
        Assert.That(Encoding.UTF8.GetString(await ContentAsync(item)), Does.EndWith(Encoding.UTF8.GetString(Message)), "the blob is the message as received");
    }

    [Test]
    public async Task Score_at_the_junk_score_goes_to_Junk_flagged()
    {
        Filter = Filters(new Scores(5.0, "GTUBE"));
        await DeliverAsync("alice@example.com");
        var junk = (await ItemsAsync("alice@example.com", CollectionRole.Junk)).Single();
        Assert.That(Encoding.UTF8.GetString(junk.HeaderPrefix.Span), Does.Contain("X-Spam-Flag: YES\r\n"));
        Assert.That(await ItemsAsync("alice@example.com"), Is.Empty);
    }

    [Test]
    public async Task Score_at_the_reject_score_is_refused_554_and_nothing_is_stored()
    {
        Filter = Filters(new Scores(15.0, "GTUBE"));
        var (_, atCommit) = await DeliverAsync("alice@example.com");
        Assert.That(atCommit.Single().Status, Is.EqualTo(ContentFilter.Spam));
        Assert.That((BlobFiles(), SpoolFiles()), Is.EqualTo((Array.Empty<string>(), Array.Empty<string>())));
    }

    [Test]
    public async Task Virus_is_refused_554_5_7_1_with_its_name_before_spam_is_scored()
    {
        var spam = new Scores(0);
        Filter = Filters(spam, new Finds("Eicar-Test-Signature\r\nX-Forged: yes"));
        var (_, atCommit) = await DeliverAsync("alice@example.com");
        Assert.That(atCommit.Single().Status, Is.EqualTo(new DeliveryStatus(554, "5.7.1", "message refused: virus Eicar-Test-SignatureX-Forged:yes found")));
        Assert.That((spam.Calls, BlobFiles().Count), Is.EqualTo((0, 0)));
    }

    [Test]
    public async Task Unreachable_filter_fails_closed_with_451_4_7_1()
    {
        Filter = Filters(new Unreachable(), new Finds(null));
        var (_, atCommit) = await DeliverAsync("alice@example.com");
        Assert.That(atCommit.Single().Status, Is.EqualTo(new DeliveryStatus(451, "4.7.1", "content filter unavailable, try again later")));
        Assert.That(BlobFiles(), Is.Empty);
    }

    [Test]
    public async Task Unreachable_filter_fails_open_into_INBOX_without_its_headers()
    {
        Filter = Filters(new Unreachable(), new Finds(null), failOpen: true);
        await DeliverAsync("alice@example.com");
        var prefix = Encoding.UTF8.GetString((await ItemsAsync("alice@example.com")).Single().HeaderPrefix.Span);
        Assert.That(prefix, Does.Not.Contain("X-Spam-").And.Contain("X-Virus-Scanned: "));
    }

    [Test]
    public async Task Submitted_mail_is_scanned_for_viruses_but_not_scored_for_spam()
    {
        var spam = new Scores(100);
        Filter = Filters(spam, new Finds("Eicar-Test-Signature"));
        var (_, atCommit) = await DeliverAsync(Submission("alice@example.com"), "alice@example.com", ["alice@example.com"]);
        Assert.That((atCommit.Single().Status.Code, spam.Calls), Is.EqualTo((554, 0)));
    }

    [Test]
    public async Task Mail_made_by_the_server_is_not_filtered()
    {
        Filter = Filters(new Unreachable(), new Finds("Eicar-Test-Signature"));
        var internalOrigin = new DeliveryOrigin(DeliveryChannel.Internal, null, null, null, IsTls: false);
        var (_, atCommit) = await DeliverAsync(internalOrigin, null, ["alice@example.com"]);
        Assert.That(atCommit.Single().Status, Is.EqualTo(DeliveryStatus.Delivered));
    }

    [Test]
    public async Task Folded_spam_status_keeps_every_rule_and_lines_short()
    {
        var rules = Enumerable.Range(0, 30).Select(i => $"RULE_NUMBER_{i:00}").ToArray();
        Filter = Filters(new Scores(2, rules));
        await DeliverAsync("alice@example.com");
        var prefix = Encoding.UTF8.GetString((await ItemsAsync("alice@example.com")).Single().HeaderPrefix.Span);
        Assert.That(prefix.Split("\r\n").Max(l => l.Length), Is.LessThanOrEqualTo(78));
        Assert.That(prefix.Replace("\r\n\t", "", StringComparison.Ordinal), Does.Contain("tests=" + string.Join(',', rules) + "\r\n"));
    }

    private sealed class Scores(double score, params string[] symbols) : ISpamClassifier
    {
        public int Calls { get; private set; }

        public Task<SpamReport> ClassifyAsync(Stream message, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(new SpamReport(score, symbols));
        }
    }

    private sealed class Finds(string? virus) : IVirusScanner
    {
        public string Name => "test-scanner";

        public Task<string?> ScanAsync(Stream message, CancellationToken cancellationToken) => Task.FromResult(virus);
    }

    private sealed class Unreachable : ISpamClassifier
    {
        public Task<SpamReport> ClassifyAsync(Stream message, CancellationToken cancellationToken)
            => throw new FilterUnavailableException("connection refused");
    }
}
