using SyncServer.Server.Tests.Shared;

namespace SyncServer.Server.Tests.Imap;

/// <summary>
/// Every transcript under <c>Transcripts/imap/</c>, sent whole and one byte per write, against one real server. Each
/// transcript logs in, works in a mailbox of its own and deletes it at the end, so the two runs see the same state.
/// <c># listener: imaps</c> connects with implicit TLS; the default is the STARTTLS port.
/// </summary>
[NonParallelizable]
public sealed class ImapTranscriptTests
{
    private MailServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await MailServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private static IEnumerable<TestCaseData> Transcripts() => TranscriptReplayer.Cases("imap");

    [TestCaseSource(nameof(Transcripts))]
    public Task Replay(string name, bool bytewise)
    {
        var lines = TranscriptReplayer.Lines("imap", name);
        var implicitTls = TranscriptReplayer.Header(lines, "listener") == "imaps";
        return TranscriptReplayer.ReplayAsync(implicitTls ? _server.ImapsPort : _server.ImapPort, implicitTls, lines, bytewise);
    }
}
