using System.Globalization;
using System.Text;
using SyncServer.Server.Tests.Shared;

namespace SyncServer.Server.Tests.Pop3;

/// <summary>
/// Every transcript under <c>Transcripts/pop3/</c>, sent whole and one byte per write, against one real server. The
/// INBOX is emptied before each replay; <c># inbox: n</c> then APPENDs the first n of <see cref="Messages"/> (exact
/// bytes, over IMAP). <c># listener: pop3s</c> connects with implicit TLS; the default is the STLS port.
/// </summary>
[NonParallelizable]
public sealed class Pop3TranscriptTests
{
    /// <summary>What a transcript's maildrop holds: sizes 66 and 55 octets; the first has a line starting with a dot.</summary>
    public static readonly string[] Messages =
    [
        "From: ann@example.org\r\nSubject: first\r\n\r\nHello\r\n.hidden dot\r\nBye\r\n",
        "From: bob@example.org\r\nSubject: second\r\n\r\nSecond body\r\n",
    ];

    private MailServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await MailServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private static IEnumerable<TestCaseData> Transcripts() => TranscriptReplayer.Cases("pop3");

    [TestCaseSource(nameof(Transcripts))]
    public async Task Replay(string name, bool bytewise)
    {
        var lines = TranscriptReplayer.Lines("pop3", name);
        await FillInboxAsync(int.Parse(TranscriptReplayer.Header(lines, "inbox") ?? "0", CultureInfo.InvariantCulture));
        var implicitTls = TranscriptReplayer.Header(lines, "listener") == "pop3s";
        await TranscriptReplayer.ReplayAsync(implicitTls ? _server.Pop3sPort : _server.Pop3Port, implicitTls, lines, bytewise);
    }

    private async Task FillInboxAsync(int count)
    {
        await using var imap = await _server.ConnectRawImapAsync();
        var commands = new StringBuilder("s SELECT INBOX\r\nd UID STORE 1:* +FLAGS.SILENT (\\Deleted)\r\ne EXPUNGE\r\n");
        foreach (var message in Messages.Take(count))
            commands.Append(CultureInfo.InvariantCulture, $"a APPEND INBOX {{{Encoding.ASCII.GetByteCount(message)}+}}\r\n{message}\r\n");
        await imap.SendAsync(commands.Append("z LOGOUT\r\n").ToString());
        var replies = await imap.ReadUntilAsync("z ");
        Assert.That(replies.Count(r => r.StartsWith("a OK", StringComparison.Ordinal)), Is.EqualTo(count), string.Join("\n", replies));
    }
}
