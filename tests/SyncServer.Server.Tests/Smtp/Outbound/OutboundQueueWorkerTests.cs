using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using SyncServer.Core.Delivery;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Server.Hosting;
using SyncServer.Server.Smtp.Outbound;
using SyncServer.Storage;

namespace SyncServer.Server.Tests.Smtp.Outbound;

/// <summary>
/// The queue worker against a real SQLite store, the sink as remote MX found through the fixture DNS, and a
/// controlled clock. Notices go through the real local delivery into the sender's INBOX.
/// </summary>
public sealed class OutboundQueueWorkerTests
{
    private const string Sender = "alice@example.org";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly byte[] Received = Encoding.ASCII.GetBytes("Received: from client by mta.example.org; Wed, 25 Nov 2026 10:00:01 +0000\r\n");
    private static readonly byte[] Body = Encoding.ASCII.GetBytes(
        "From: Alice <alice@example.org>\r\nTo: bob@remote.example\r\nSubject: hello\r\nDate: Wed, 25 Nov 2026 10:00:00 +0000\r\n" +
        "Message-ID: <1@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nHello Bob\r\n");

    private string _data = null!;
    private FakeTimeProvider _time = null!;
    private OpenedStore _store = null!;
    private SmtpSink _sink = null!;
    private DnsFixture _dns = null!;
    private LocalDeliveryTarget _local = null!;
    private QueueSettings _settings = null!;

    [SetUp]
    public async Task SetUp()
    {
        _data = Path.Combine(Path.GetTempPath(), "syncserver-queue-" + Guid.NewGuid().ToString("N"));
        _time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _store = await StoreHost.OpenAsync(new StorageOptions { DataDirectory = _data }, _time, None);
        _sink = new SmtpSink();
        _dns = new DnsFixture().Mx("remote.example", 10, "mx.remote.example").A("mx.remote.example", IPAddress.Loopback);
        await _store.Directory.AddDomainAsync("example.org", None);
        await _store.Directory.CreateAccountAsync(Sender, "Alice", "hash", null, AccountKind.User, None);
        _local = new LocalDeliveryTarget(_store.Store, _store.Directory, _store.Blobs, _time,
            new DeliveryOptions { ServerName = "mta.example.org", TempDirectory = Path.Combine(_data, "spool") });
        _settings = new QueueSettings { RemotePort = _sink.Port, MaxAge = "1d" };
    }

    [TearDown]
    public async Task TearDown()
    {
        await _store.DisposeAsync();
        await _sink.DisposeAsync();
        _dns.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    private OutboundQueueWorker Worker(OutboundQueueSignal? signal = null)
    {
        var relay = new SmtpRelay(new SyncServerSettings { ServerName = "mta.example.org", Queue = _settings }, DnsMailExchangeResolver.Create(new DnsSettings { Server = _dns.Server }), _store.Blobs,
            NullLogger<SmtpRelay>.Instance);
        var notices = new QueueNotices(_store.Queue, _store.Blobs, _local, new DeliveryReport("mta.example.org"), NullLogger<QueueNotices>.Instance);
        return new OutboundQueueWorker(_store.Queue, relay, notices, signal ?? new OutboundQueueSignal(), _settings, _time,
            NullLogger<OutboundQueueWorker>.Instance);
    }

    private Task<QueuedMessageId> EnqueueAsync(string? mailFrom, params string[] recipients)
        => EnqueueAsync(mailFrom, recipients.Select(r => new RelayRecipient(r, null)).ToList(), null);

    private async Task<QueuedMessageId> EnqueueAsync(string? mailFrom, IReadOnlyList<RelayRecipient> recipients, DsnEnvelope? dsn)
        => await _store.Queue.EnqueueAsync(await MessageAsync(mailFrom, recipients, dsn), None);

    private async Task<RelayMessage> MessageAsync(string? mailFrom, IReadOnlyList<RelayRecipient> recipients, DsnEnvelope? dsn)
    {
        var (blob, size) = await _store.Blobs.WriteAsync(new MemoryStream(Body), None);
        return new RelayMessage(mailFrom, recipients, blob, size, Received, dsn);
    }

    /// <summary>What local delivery filed into the sender's INBOX.</summary>
    private async Task<List<MimeMessage>> SenderInboxAsync()
    {
        var account = (await _store.Directory.GetAccountAsync(Sender, None))!;
        var inbox = (await _store.Store.ListCollectionsAsync(account.Id, None)).Single(c => c.Role == CollectionRole.Inbox);
        var messages = new List<MimeMessage>();
        foreach (var item in await _store.Store.ListItemsAsync(inbox.Id, new ImapUid(0), int.MaxValue, None))
        {
            await using var content = await ItemContent.OpenAsync(item, _store.Blobs, None);
            messages.Add(await MimeMessage.LoadAsync(content));
        }
        return messages;
    }

    [Test]
    public async Task Accepted_IsDeliveredOnce_WithTheDsnParameters_AndLeavesTheQueue()
    {
        var id = await EnqueueAsync(Sender, [new RelayRecipient("bob@remote.example", new DsnRecipient(false, false, true, true, null))],
            new DsnEnvelope(false, "env-42"));
        var blob = (await _store.Queue.GetAsync(id, None))!.Blob;

        await Worker().RunOnceAsync(None);

        var received = _sink.Messages.Single();
        Assert.That((received.MailFrom, received.Recipients.Single()), Is.EqualTo((Sender, "bob@remote.example")));
        Assert.That(received.Data, Is.EqualTo(Encoding.ASCII.GetString([.. Received, .. Body])));
        Assert.That(_sink.Commands, Has.Some.Match("^MAIL FROM:<alice@example.org>.* RET=HDRS").And.Some.Match("ENVID=env-42"));
        Assert.That(_sink.Commands, Has.Some.Match("^RCPT TO:<bob@remote.example>.* NOTIFY=FAILURE,DELAY"));
        Assert.That(await _store.Queue.ListAsync(None), Is.Empty);
        Assert.That(await _store.Store.IsBlobReferencedAsync(blob, None), Is.False);
        Assert.That(await SenderInboxAsync(), Is.Empty);
    }

    [Test]
    public async Task TransientFailure_IsRetriedOnTheSchedule_ByTheRunningWorker_ThenDelivered()
    {
        var refusals = 1;
        _sink.RcptReply = _ => Interlocked.Decrement(ref refusals) >= 0 ? "451 4.2.1 try later" : "250 2.1.5 ok";
        var signal = new OutboundQueueSignal();
        var worker = Worker(signal);
        await worker.StartAsync(None);
        try
        {
            var status = await new OutboundQueue(_store.Queue, signal, NullLogger<OutboundQueue>.Instance)
                .EnqueueAsync(await MessageAsync(Sender, [new RelayRecipient("bob@remote.example", null)], null), None);
            Assert.That(status.IsSuccess, Is.True);

            // The wake-up runs the first attempt at once; the clock has not moved.
            var deferred = await EventuallyAsync(async () => (await _store.Queue.ListAsync(None)).SingleOrDefault()?.Recipients.Single() is { Attempts: 1 } r ? r : null);
            Assert.That((deferred.State, deferred.LastError), Is.EqualTo((QueueState.Queued, "451 4.2.1 try later")));
            Assert.That(deferred.NextAttemptAt, Is.EqualTo(_time.GetUtcNow() + TimeSpan.FromMinutes(5)).Within(TimeSpan.FromSeconds(1)));
            Assert.That(_sink.Messages, Is.Empty);

            await EventuallyAsync(async () => (await _store.Queue.ListAsync(None)).Count == 0 ? "" : null, advanceEachTry: TimeSpan.FromMinutes(1));
            Assert.That(_sink.Messages.Single().Recipients, Is.EqualTo(new[] { "bob@remote.example" }));
        }
        finally
        {
            await worker.StopAsync(None);
        }
    }

    [Test]
    public async Task PermanentFailure_BouncesToTheSender_AsAnRfc3464Report_FromTheNullPath()
    {
        _sink.RcptReply = address => address.StartsWith("gone", StringComparison.Ordinal) ? "550 5.1.1 no such user" : "250 2.1.5 ok";
        await EnqueueAsync(Sender, "gone@remote.example", "bob@remote.example");

        await Worker().RunOnceAsync(None);

        Assert.That(_sink.Messages.Single().Recipients, Is.EqualTo(new[] { "bob@remote.example" }));
        var report = (await SenderInboxAsync()).Single();
        Assert.That((report.Headers["Return-Path"], report.Headers["Delivered-To"]), Is.EqualTo(("<>", Sender)));
        var body = (MultipartReport)report.Body!;
        Assert.That(body.ReportType, Is.EqualTo("delivery-status"));
        var status = (MessageDeliveryStatus)body[1];
        Assert.That(status.StatusGroups[0]["Reporting-MTA"], Is.EqualTo("dns; mta.example.org"));
        var recipient = status.StatusGroups.Single(g => g.Contains("Final-Recipient"));
        Assert.That((recipient["Final-Recipient"], recipient["Action"], recipient["Status"]),
            Is.EqualTo(("rfc822; gone@remote.example", "failed", "5.1.1")));
        Assert.That(((TextRfc822Headers)body[2]).Message!.Subject, Is.EqualTo("hello"));
        Assert.That(report.Headers["Auto-Submitted"], Is.EqualTo("auto-replied"));
        Assert.That(await _store.Queue.ListAsync(None), Is.Empty);
    }

    [Test]
    public async Task PermanentFailure_OfABounce_IsNotBounced()
    {
        _sink.RcptReply = _ => "550 5.1.1 no such user";
        await EnqueueAsync(null, "gone@remote.example");

        await Worker().RunOnceAsync(None);

        Assert.That(_sink.Commands, Has.Some.StartsWith("MAIL FROM:<>"));
        Assert.That(await SenderInboxAsync(), Is.Empty);
        Assert.That(await _store.Queue.ListAsync(None), Is.Empty);
    }

    [Test]
    public async Task TransientForever_OneDelayWarningAfterFourHours_ThenABounceAtMaxAge()
    {
        _sink.RcptReply = _ => "452 4.2.2 mailbox full";
        await EnqueueAsync(Sender, "full@remote.example");
        var worker = Worker();

        for (var hour = 0; hour <= 25; hour++)
        {
            await worker.RunOnceAsync(None);
            Assert.That(await SenderInboxAsync(), Has.Count.EqualTo(hour < 4 ? 0 : hour < 24 ? 1 : 2), $"after {hour} h");
            _time.Advance(TimeSpan.FromHours(1));
        }

        var notices = await SenderInboxAsync();
        var actions = notices.Select(n => ((MessageDeliveryStatus)((MultipartReport)n.Body!)[1]).StatusGroups[1]["Action"]);
        Assert.That(actions, Is.EqualTo(new[] { "delayed", "failed" }));
        Assert.That(notices[1].TextBody, Does.Contain("452 4.2.2 mailbox full (gave up after 1d)"));
        Assert.That(await _store.Queue.ListAsync(None), Is.Empty);
    }

    [Test]
    public async Task Restart_ANewWorkerOverTheSameStore_ContinuesWithNothingLostAndNothingSentTwice()
    {
        var refusedOnce = new ConcurrentDictionary<string, bool>();
        _sink.RcptReply = address => address.StartsWith("later", StringComparison.Ordinal) && refusedOnce.TryAdd(address, true)
            ? "421 4.4.5 busy" : "250 2.1.5 ok";
        for (var i = 0; i < 100; i++)
            await EnqueueAsync(Sender, $"now{i}@remote.example", $"later{i}@remote.example");
        await Worker().RunOnceAsync(None);
        Assert.That(_sink.Messages.SelectMany(m => m.Recipients), Is.EquivalentTo(Enumerable.Range(0, 100).Select(i => $"now{i}@remote.example")));

        await _store.DisposeAsync();
        _store = await StoreHost.OpenAsync(new StorageOptions { DataDirectory = _data }, _time, None);
        _time.Advance(TimeSpan.FromMinutes(5));
        await Worker().RunOnceAsync(None);

        var delivered = _sink.Messages.SelectMany(m => m.Recipients).ToList();
        Assert.That(delivered, Is.EquivalentTo(Enumerable.Range(0, 100).SelectMany(i => new[] { $"now{i}@remote.example", $"later{i}@remote.example" })));
        Assert.That(await _store.Queue.ListAsync(None), Is.Empty);
    }

    [Test]
    public async Task SmartHost_RelaysEveryDomainInOneTransaction_WithoutAskingDns()
    {
        _settings.SmartHost = $"127.0.0.1:{_sink.Port}";
        _settings.SmartHostTls = MailKit.Security.SecureSocketOptions.None;
        _settings.RemotePort = 1; // nothing listens there: only the smart host may be used
        await EnqueueAsync(Sender, "bob@remote.example", "dave@unknown-to-dns.example");

        await Worker().RunOnceAsync(None);

        Assert.That(_sink.Messages.Single().Recipients, Is.EqualTo(new[] { "bob@remote.example", "dave@unknown-to-dns.example" }));
        Assert.That(await _store.Queue.ListAsync(None), Is.Empty);
    }

    /// <summary>Polls (in real time) until <paramref name="probe"/> gives a value, moving the fake clock on each try when asked.</summary>
    private async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, TimeSpan? advanceEachTry = null) where T : class
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (await probe() is { } value)
                return value;
            if (advanceEachTry is { } step)
                _time.Advance(step);
            await Task.Delay(50);
        }
        Assert.Fail("condition not reached in 10 s");
        throw new System.Diagnostics.UnreachableException();
    }
}
