using SyncServer.Server.Tests.Shared;

namespace SyncServer.Server.Tests.Imap;

/// <summary>
/// The transcripts under <c>Transcripts/imap/sharing/</c> (subscriptions, QUOTA, ACL and the shared namespace,
/// METADATA), sent whole and one byte per write over IMAPS, against one server with alice, bob (quota 1M) and carol.
/// Each transcript leaves the accounts as it found them.
/// </summary>
[NonParallelizable]
public sealed class ImapSharingTranscriptTests
{
    private const string Folder = "imap/sharing";

    private MailServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await MailServer.StartAsync();
        await _server.AddUserAsync("bob@example.org", quota: "1M");
        await _server.AddUserAsync("carol@example.org");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private static IEnumerable<TestCaseData> Transcripts() => TranscriptReplayer.Cases(Folder);

    [TestCaseSource(nameof(Transcripts))]
    public Task Replay(string name, bool bytewise) =>
        TranscriptReplayer.ReplayAsync(_server.ImapsPort, implicitTls: true, TranscriptReplayer.Lines(Folder, name), bytewise);
}
