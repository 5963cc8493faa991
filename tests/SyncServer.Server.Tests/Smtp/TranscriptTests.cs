using SyncServer.Server.Smtp;
using SyncServer.Server.Tests.Shared;

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

    private static IEnumerable<TestCaseData> Transcripts() => TranscriptReplayer.Cases("smtp");

    /// <summary><c># listener: mx|submission|smtps</c>; MX when absent.</summary>
    [TestCaseSource(nameof(Transcripts))]
    public Task Replay(string name, bool bytewise)
    {
        var lines = TranscriptReplayer.Lines("smtp", name);
        var kind = TranscriptReplayer.Header(lines, "listener") is { } listener
            ? Enum.Parse<SmtpListenerKind>(listener, ignoreCase: true)
            : SmtpListenerKind.Mx;
        return TranscriptReplayer.ReplayAsync(_host.Port(kind), kind == SmtpListenerKind.Smtps, lines, bytewise);
    }
}
