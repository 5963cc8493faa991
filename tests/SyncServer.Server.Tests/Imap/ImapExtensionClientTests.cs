using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using SyncServer.Server.Tests.Shared;

namespace SyncServer.Server.Tests.Imap;

/// <summary>MailKit's ImapClient using the extensions of issue 4 item 3 (QRESYNC, COMPRESS, …) against the real server.</summary>
[NonParallelizable]
public sealed class ImapExtensionClientTests
{
    private MailServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await MailServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task Qresync_after_another_session_changed_flags_and_expunged()
    {
        uint uidValidity;
        ulong highestModSeq;
        IList<UniqueId> known;
        using (var a = await _server.ConnectAsync())
        {
            var folder = (await a.GetFolder(a.PersonalNamespaces[0])!.CreateAsync("Resync", true))!;
            for (var i = 0; i < 4; i++)
                await folder.AppendAsync(new AppendRequest(TestMessages.Simple($"message {i}", "body")));
            await a.EnableQuickResyncAsync();
            await folder.OpenAsync(FolderAccess.ReadWrite);
            (uidValidity, highestModSeq, known) = (folder.UidValidity, folder.HighestModSeq, await folder.SearchAsync(SearchQuery.All));
            await a.DisconnectAsync(true);
        }

        using (var b = await _server.ConnectAsync(implicitTls: true))
        {
            var folder = await b.GetFolderAsync("Resync");
            await folder.OpenAsync(FolderAccess.ReadWrite);
            await folder.AddFlagsAsync(known[1], MessageFlags.Flagged, silent: true);
            await folder.AddFlagsAsync([known[2], known[3]], MessageFlags.Deleted, silent: true);
            await folder.ExpungeAsync();
            await b.DisconnectAsync(true);
        }

        using var resync = await _server.ConnectAsync();
        await resync.EnableQuickResyncAsync();
        var again = await resync.GetFolderAsync("Resync");
        var vanished = new List<UniqueId>();
        var earlier = false;
        var flagged = new List<(UniqueId? Uid, MessageFlags Flags)>();
        again.MessagesVanished += (_, e) => { vanished.AddRange(e.UniqueIds); earlier |= e.Earlier; };
        again.MessageFlagsChanged += (_, e) => flagged.Add((e.UniqueId, e.Flags));
        await again.OpenAsync(FolderAccess.ReadWrite, uidValidity, highestModSeq, known);

        Assert.That(again.Count, Is.EqualTo(2));
        Assert.That(vanished, Is.EqualTo(new[] { known[2], known[3] }));
        Assert.That(earlier, Is.True, "VANISHED (EARLIER)");
        Assert.That(flagged, Is.EqualTo(new[] { ((UniqueId?)known[1], MessageFlags.Flagged) }));
        Assert.That(again.HighestModSeq, Is.GreaterThan(highestModSeq));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Compress_deflate_carries_a_large_append_and_fetch(bool implicitTls)
    {
        var log = new MemoryStream();
        using var client = await _server.ConnectAsync(implicitTls, log);
        Assert.That(client.Capabilities.HasFlag(ImapCapabilities.Compress), Is.True);
        await client.CompressAsync();
        var folder = (await client.GetFolder(client.PersonalNamespaces[0])!.CreateAsync($"Compressed{implicitTls}", true))!;
        var body = string.Join("\n", Enumerable.Range(0, 5000).Select(i => $"line {i} of a long and repetitive message"));
        var uid = await folder.AppendAsync(new AppendRequest(TestMessages.Simple("compressed", body)));
        await folder.OpenAsync(FolderAccess.ReadOnly);
        var message = await folder.GetMessageAsync(uid!.Value);
        Assert.That(message.TextBody!.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd(), Is.EqualTo(body));
        await client.DisconnectAsync(true);
        Assert.That(Encoding.UTF8.GetString(log.ToArray()), Does.Contain("COMPRESS DEFLATE"));
    }
}
