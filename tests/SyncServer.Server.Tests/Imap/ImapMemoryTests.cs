using System.Text;
using MailKit;
using MimeKit;
using SyncServer.Server.Tests.Shared;

namespace SyncServer.Server.Tests.Imap;

/// <summary>
/// Issue 4, resources: an APPEND literal streams into the blob store as it arrives and FETCH BODY[] streams from
/// the stored message in chunks, so large messages in flight at once do not add up in the server's memory. Measured
/// as the server process's peak RSS (VmHWM): a resource bound, not a speed figure.
/// </summary>
[NonParallelizable]
public sealed class ImapMemoryTests
{
    private const int Clients = 8;
    private const long PeakBound = 600L * 1024 * 1024;

    private MailServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await MailServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task Eight_concurrent_50MB_MailKit_appends_then_fetches_keep_server_peak_RSS_under_600MB_with_exact_bytes()
    {
        var attachment = Attachment();
        var messages = Enumerable.Range(0, Clients).Select(i => Message(i, attachment)).ToArray();
        Assert.That(messages[0].Length, Is.InRange(48_000_000, 50_000_000));

        var uids = await Task.WhenAll(messages.Select(async bytes =>
        {
            using var client = await _server.ConnectAsync();
            using var parsed = new MemoryStream(bytes, writable: false);
            var uid = await client.Inbox.AppendAsync(new AppendRequest(await MimeMessage.LoadAsync(parsed, persistent: true)));
            await client.DisconnectAsync(true);
            return uid!.Value;
        }));
        var afterAppends = _server.PeakResidentBytes();

        var served = await Task.WhenAll(uids.Select(async uid =>
        {
            using var client = await _server.ConnectAsync();
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
            using var stream = await client.Inbox.GetStreamAsync(uid, "");
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            await client.DisconnectAsync(true);
            return copy.ToArray();
        }));
        var peak = _server.PeakResidentBytes();

        TestContext.Out.WriteLine($"server peak RSS: {afterAppends / 1048576} MiB after {Clients} appends, {peak / 1048576} MiB after {Clients} fetches");
        for (var i = 0; i < Clients; i++)
            Assert.That(served[i].AsSpan().SequenceEqual(messages[i]), Is.True, $"BODY[] of message {i}: {served[i].Length} octets served, {messages[i].Length} appended");
        Assert.That(peak, Is.LessThan(PeakBound), $"peak RSS {peak / 1048576} MiB");
    }

    /// <summary>36 MB of random octets in base64 lines: the 49 MB body of a message with a large attachment.</summary>
    private static byte[] Attachment()
    {
        var data = new byte[36_000_000];
        new Random(4).NextBytes(data);
        return Encoding.ASCII.GetBytes(Convert.ToBase64String(data, Base64FormattingOptions.InsertLineBreaks) + "\r\n");
    }

    /// <summary>A distinct message around the shared attachment (so each is its own blob).</summary>
    private static byte[] Message(int number, byte[] attachment)
    {
        var head = Encoding.ASCII.GetBytes(
            $"From: Big <big@example.org>\r\nTo: {MailServer.User}\r\nSubject: large {number}\r\nMIME-Version: 1.0\r\n" +
            "Content-Type: multipart/mixed; boundary=\"part\"\r\n\r\n" +
            $"--part\r\nContent-Type: text/plain\r\n\r\nmessage {number} has a large attachment\r\n" +
            "--part\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        return [.. head, .. attachment, .. "--part--\r\n"u8];
    }
}
