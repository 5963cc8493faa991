using SyncServer.Server.Tests.Shared;

namespace SyncServer.Server.Tests.Pop3;

/// <summary>
/// Every transcript under <c>Transcripts/pop3/</c>, sent whole and one byte per write, against one real server whose
/// INBOX stays empty. <c># listener: pop3s</c> connects with implicit TLS; the default is the STLS port.
/// </summary>
[NonParallelizable]
public sealed class Pop3TranscriptTests
{
    private MailServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await MailServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private static IEnumerable<TestCaseData> Transcripts() => TranscriptReplayer.Cases("pop3");

    [TestCaseSource(nameof(Transcripts))]
    public Task Replay(string name, bool bytewise)
    {
        var lines = TranscriptReplayer.Lines("pop3", name);
        var implicitTls = TranscriptReplayer.Header(lines, "listener") == "pop3s";
        return TranscriptReplayer.ReplayAsync(implicitTls ? _server.Pop3sPort : _server.Pop3Port, implicitTls, lines, bytewise);
    }
}
