using System.Text.RegularExpressions;
using SyncServer.Server.Tests.Shared;
using SyncServer.Storage;

namespace SyncServer.Server.Tests.Imap;

/// <summary>
/// A selected session whose change log was pruned past its view (<c>ChangeSet.IsTruncated</c>): its next NOOP
/// compares the view with the whole mailbox (<c>MailboxView.ResyncAsync</c>) and reports what the log no longer
/// says. The pruning is the store's own (<c>PruneChangesAsync</c>, what <c>ChangeLogPruning</c> runs daily), run
/// beside the serving process on its data directory with a cut-off in the future, so every row goes.
/// </summary>
public sealed class ImapPrunedChangeLogTests
{
    [Test]
    public async Task A_session_behind_a_pruned_log_resyncs_and_reports_the_expunges()
    {
        await using var server = await MailServer.StartAsync();
        await using var first = await server.ConnectRawImapAsync();
        Assert.That(await CommandAsync(first, "a", "CREATE pruned"), Has.Some.StartsWith("a OK"));
        for (var i = 1; i <= 4; i++)
            Assert.That(await CommandAsync(first, "b", $"APPEND pruned {{17+}}\r\nSubject: m{i}\r\n\r\nhi"), Has.Some.StartsWith("b OK"));
        var selected = await CommandAsync(first, "c", "SELECT pruned");
        Assert.That(selected, Has.Some.EqualTo("* 4 EXISTS"));
        var uidValidity = Code(selected, "UIDVALIDITY");
        var modSeqBefore = Code(selected, "HIGHESTMODSEQ");

        // Another session expunges 2 and 3, flags 4 and appends a fifth message.
        await using (var second = await server.ConnectRawImapAsync())
        {
            Assert.That(await CommandAsync(second, "d", "SELECT pruned"), Has.Some.StartsWith("d OK"));
            Assert.That(await CommandAsync(second, "e", "STORE 2:3 +FLAGS.SILENT (\\Deleted)"), Has.Some.StartsWith("e OK"));
            Assert.That(await CommandAsync(second, "f", "EXPUNGE"), Has.Some.StartsWith("f OK"));
            Assert.That(await CommandAsync(second, "g", "STORE 2 +FLAGS.SILENT (\\Flagged)"), Has.Some.StartsWith("g OK"));
            Assert.That(await CommandAsync(second, "h", "APPEND pruned {17+}\r\nSubject: m5\r\n\r\nhi"), Has.Some.StartsWith("h OK"));
        }

        await using (var opened = await StoreHost.OpenAsync(new StorageOptions { DataDirectory = server.DataDirectory }, TimeProvider.System, CancellationToken.None))
            Assert.That(await opened.Store.PruneChangesAsync(DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None), Is.GreaterThan(0));

        Assert.That(await CommandAsync(first, "i", "NOOP"), Is.EqualTo(new[]
        {
            "* 3 EXPUNGE",
            "* 2 EXPUNGE",
            "* 3 EXISTS",
            "* 2 FETCH (UID 4 FLAGS (\\Flagged))",
            "i OK NOOP completed",
        }), "the expunges from the full listing, highest first, then the new message and the flag");
        Assert.That(await CommandAsync(first, "j", "FETCH 1:* (UID FLAGS)"), Is.EqualTo(new[]
        {
            "* 1 FETCH (UID 1 FLAGS ())",
            "* 2 FETCH (UID 4 FLAGS (\\Flagged))",
            "* 3 FETCH (UID 5 FLAGS ())",
            "j OK FETCH completed",
        }), "sequence numbers consistent with what was reported");
        Assert.That(await CommandAsync(first, "k", "NOOP"), Is.EqualTo(new[] { "k OK NOOP completed" }), "nothing reported twice");

        // A CONDSTORE/QRESYNC client asking from before the pruning point: every absent UID, every message changed.
        await using var resync = await server.ConnectRawImapAsync();
        Assert.That(await CommandAsync(resync, "l", "ENABLE QRESYNC"), Has.Some.StartsWith("l OK"));
        var reselected = await CommandAsync(resync, "m", $"SELECT pruned (QRESYNC ({uidValidity} {modSeqBefore}))");
        Assert.That(WithoutModSeqs(reselected[^4..]), Is.EqualTo(new[]
        {
            "* VANISHED (EARLIER) 2:3",
            "* 2 FETCH (UID 4 FLAGS (\\Flagged) MODSEQ (n))",
            "* 3 FETCH (UID 5 FLAGS () MODSEQ (n))",
            "m OK [READ-WRITE] SELECT completed",
        }));
        Assert.That(WithoutModSeqs(await CommandAsync(resync, "n", $"UID FETCH 1:* (FLAGS) (CHANGEDSINCE {modSeqBefore} VANISHED)")), Is.EqualTo(new[]
        {
            "* VANISHED (EARLIER) 2:3",
            "* 2 FETCH (FLAGS (\\Flagged) UID 4 MODSEQ (n))",
            "* 3 FETCH (FLAGS () UID 5 MODSEQ (n))",
            "n OK FETCH completed",
        }));
    }

    private static async Task<List<string>> CommandAsync(RawLineClient client, string tag, string command)
    {
        await client.SendAsync($"{tag} {command}\r\n");
        return await client.ReadUntilAsync(tag + " ");
    }

    private static IEnumerable<string> WithoutModSeqs(IEnumerable<string> lines) =>
        lines.Select(l => Regex.Replace(l, @"MODSEQ \(\d+\)", "MODSEQ (n)"));

    /// <summary>The number after <c>[NAME </c> in an untagged OK.</summary>
    private static string Code(List<string> lines, string name)
    {
        var marker = "[" + name + " ";
        var line = lines.First(l => l.Contains(marker, StringComparison.Ordinal));
        var start = line.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        return line[start..line.IndexOf(']', start)];
    }
}
