namespace SyncServer.Server.Tests.Smtp;

/// <summary>Every transcript under <c>Transcripts/smtp/</c>, sent whole and one byte per write, against one in-process server.</summary>
[Parallelizable(ParallelScope.None)]
public sealed class TranscriptTests
{
    private SmtpTestHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await SmtpTestHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    private static IEnumerable<TestCaseData> Transcripts()
    {
        foreach (var name in TranscriptReplayer.Names)
        {
            yield return new TestCaseData(name, false).SetName($"{name} (whole)");
            if (TranscriptReplayer.AllowsBytewise(Lines(name)))
                yield return new TestCaseData(name, true).SetName($"{name} (bytewise)");
        }
    }

    private static string[] Lines(string name) => File.ReadAllLines(Path.Combine(TranscriptReplayer.Directory, name + ".txt"));

    [TestCaseSource(nameof(Transcripts))]
    public Task Replay(string name, bool bytewise) => TranscriptReplayer.ReplayAsync(_host, Lines(name), bytewise);
}
