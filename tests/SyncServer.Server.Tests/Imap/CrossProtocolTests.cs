using System.Diagnostics;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using SyncServer.Server.Tests.Shared;

namespace SyncServer.Server.Tests.Imap;

/// <summary>
/// Issue 4, cross-protocol: mail accepted by SMTP wakes an IDLEing IMAP client within a second; a flag stored by
/// one session reaches another as an untagged FETCH and through a CONDSTORE resync; \Seen set by FETCH does not
/// undo a flag stored at the same moment. (POP3 DELE seen by IMAP: Pop3ClientTests.)
/// </summary>
[NonParallelizable]
public sealed class CrossProtocolTests
{
    private MailServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await MailServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task Mail_accepted_by_SMTP_reaches_an_IDLEing_client_within_a_second()
    {
        using var watcher = await _server.ConnectAsync();
        await watcher.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var before = watcher.Inbox.Count;
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.Inbox.CountChanged += (_, _) => arrived.TrySetResult();
        using var done = new CancellationTokenSource();
        var idle = watcher.IdleAsync(done.Token);

        using var smtp = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await smtp.ConnectAsync("127.0.0.1", _server.SubmissionPort, SecureSocketOptions.StartTls);
        await smtp.AuthenticateAsync(MailServer.User, MailServer.Password);
        var message = TestMessages.Simple("pushed", "arrives while idling");
        message.To.Clear();
        message.To.Add(new MimeKit.MailboxAddress("Alice", MailServer.User));
        message.From.Clear();
        message.From.Add(new MimeKit.MailboxAddress("Alice", MailServer.User));
        // The clock runs from the 250 reply: that is when the message is accepted (and committed).
        await smtp.SendAsync(message);
        var accepted = Stopwatch.StartNew();
        var completed = await Task.WhenAny(arrived.Task, Task.Delay(TimeSpan.FromSeconds(10)));
        var latency = accepted.Elapsed;
        await done.CancelAsync();
        await idle;
        Assert.That(completed, Is.SameAs(arrived.Task), "EXISTS during IDLE");
        Assert.That(watcher.Inbox.Count, Is.EqualTo(before + 1));
        Assert.That(latency, Is.LessThan(TimeSpan.FromSeconds(1)));
    }

    [Test]
    public async Task A_flag_stored_in_one_session_reaches_another_and_a_CONDSTORE_resync()
    {
        using var first = await _server.ConnectAsync();
        using var second = await _server.ConnectAsync(implicitTls: true);
        var folder = (await first.GetFolder(first.PersonalNamespaces[0])!.CreateAsync("Flags", true))!;
        await folder.AppendAsync(new AppendRequest(TestMessages.Simple("flag me", "body")));
        await folder.AppendAsync(new AppendRequest(TestMessages.Simple("leave me", "body")));

        var other = await second.GetFolderAsync("Flags");
        await other.OpenAsync(FolderAccess.ReadOnly);
        var modSeq = other.HighestModSeq;
        var seen = new TaskCompletionSource<MessageFlags?>(TaskCreationOptions.RunContinuationsAsynchronously);
        other.MessageFlagsChanged += (_, e) => seen.TrySetResult(e.Flags);

        await folder.OpenAsync(FolderAccess.ReadWrite);
        var uids = await folder.SearchAsync(SearchQuery.All);
        await folder.AddFlagsAsync(uids[0], MessageFlags.Flagged, silent: true);

        await other.CheckAsync(); // NOOP: the untagged FETCH comes at the command boundary
        Assert.That(await seen.Task.WaitAsync(TimeSpan.FromSeconds(10)), Is.EqualTo(MessageFlags.Flagged));

        using var resync = await _server.ConnectAsync();
        var again = await resync.GetFolderAsync("Flags");
        await again.OpenAsync(FolderAccess.ReadOnly);
        var changed = await again.FetchAsync(0, -1, modSeq, MessageSummaryItems.Flags | MessageSummaryItems.UniqueId | MessageSummaryItems.ModSeq);
        Assert.That(changed.Select(c => (c.UniqueId, c.Flags)), Is.EqualTo(new[] { (uids[0], (MessageFlags?)MessageFlags.Flagged) }),
            "FETCH 1:* CHANGEDSINCE lists the flagged message only");
        Assert.That(changed[0].ModSeq, Is.GreaterThan(modSeq));
    }

    [Test]
    public async Task Seen_set_by_FETCH_keeps_a_flag_stored_at_the_same_moment()
    {
        using var flagger = await _server.ConnectAsync(implicitTls: true);
        var folder = (await flagger.GetFolder(flagger.PersonalNamespaces[0])!.CreateAsync("Race", true))!;
        const int Messages = 20;
        for (var i = 0; i < Messages; i++)
            await folder.AppendAsync(new AppendRequest(TestMessages.Simple($"race {i}", "body")));
        await folder.OpenAsync(FolderAccess.ReadWrite);
        var uids = await folder.SearchAsync(SearchQuery.All);
        // MailKit always fetches with BODY.PEEK, so the reader is a raw session sending BODY[] (which sets \Seen).
        await using var reader = await RawLineClient.ConnectAsync(_server.ImapsPort, implicitTls: true);
        await reader.ReadLineAsync();
        await reader.SendAsync($"a LOGIN {MailServer.User} \"{MailServer.Password}\"\r\nb SELECT Race\r\n");
        while (await reader.ReadLineAsync() is { } line && !line.StartsWith("b OK", StringComparison.Ordinal))
        {
        }

        foreach (var uid in uids)
            await Task.WhenAll(ReadAsync(reader, uid.Id), folder.AddFlagsAsync(uid, MessageFlags.Flagged, silent: true));

        using var check = await _server.ConnectAsync();
        var result = await check.GetFolderAsync("Race");
        await result.OpenAsync(FolderAccess.ReadOnly);
        var flags = await result.FetchAsync(0, -1, MessageSummaryItems.Flags);
        Assert.That(flags.Select(f => f.Flags!.Value), Is.All.EqualTo(MessageFlags.Seen | MessageFlags.Flagged));
    }

    private static async Task ReadAsync(RawLineClient reader, uint uid)
    {
        await reader.SendAsync($"r{uid} UID FETCH {uid} BODY[]\r\n");
        while (await reader.ReadLineAsync() is { } line && !line.StartsWith($"r{uid} ", StringComparison.Ordinal))
        {
        }
    }
}
