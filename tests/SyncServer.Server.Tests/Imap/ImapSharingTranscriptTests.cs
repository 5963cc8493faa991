using MailKit;
using SyncServer.Server.Tests.Shared;

namespace SyncServer.Server.Tests.Imap;

/// <summary>
/// The transcripts under <c>Transcripts/imap/sharing/</c> (subscriptions, QUOTA, ACL and the shared namespace,
/// METADATA), sent whole and one byte per write over IMAPS, against one server with alice, bob (quota 1M) and carol,
/// where alice's Project is shared with carol. Each transcript leaves the accounts as it found them.
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
        // alice shares Project, holding one unseen message, with carol ("lrs"); bob gets nothing.
        using var alice = await _server.ConnectAsync();
        var project = await alice.GetFolder(alice.PersonalNamespaces[0])!.CreateAsync("Project", true);
        await project!.AppendAsync(new AppendRequest(TestMessages.Simple("Plans", "Soon.")));
        await project.SetAccessRightsAsync("carol@example.org", new AccessRights("lrs"));
        await alice.DisconnectAsync(true);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private static IEnumerable<TestCaseData> Transcripts() => TranscriptReplayer.Cases(Folder);

    [TestCaseSource(nameof(Transcripts))]
    public Task Replay(string name, bool bytewise) =>
        TranscriptReplayer.ReplayAsync(_server.ImapsPort, implicitTls: true, TranscriptReplayer.Lines(Folder, name), bytewise);
}
