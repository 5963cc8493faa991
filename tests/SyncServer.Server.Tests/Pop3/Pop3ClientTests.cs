using System.Text;
using MailKit;
using MailKit.Net.Pop3;
using MailKit.Search;
using MailKit.Security;
using MimeKit;
using SyncServer.Server.Tests.Imap;
using SyncServer.Server.Tests.Shared;

namespace SyncServer.Server.Tests.Pop3;

/// <summary>
/// MailKit's Pop3Client against the real server over STLS and implicit TLS, with messages put into INBOX by IMAP
/// APPEND and the results checked through IMAP: POP3 is a view of the same store.
/// </summary>
[NonParallelizable]
public sealed class Pop3ClientTests
{
    private MailServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await MailServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [SetUp]
    public async Task EmptyInbox()
    {
        using var imap = await _server.ConnectAsync();
        await imap.Inbox.OpenAsync(FolderAccess.ReadWrite);
        if (imap.Inbox.Count > 0)
        {
            await imap.Inbox.AddFlagsAsync(UniqueIdRange.All, MessageFlags.Deleted, silent: true);
            await imap.Inbox.ExpungeAsync();
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Stat_list_uidl_and_retr_give_the_stored_bytes(bool implicitTls)
    {
        var stored = await AppendAsync(
            TestMessages.Simple("First", "hello\n.a line that starts with a dot\n.\n"),
            TestMessages.NestedWithAttachment());
        using var pop3 = await ConnectAsync(implicitTls);
        Assert.That(pop3.Capabilities.HasFlag(Pop3Capabilities.Top | Pop3Capabilities.UIDL | Pop3Capabilities.Pipelining), Is.True);
        Assert.That(pop3.Count, Is.EqualTo(2));
        Assert.That(await pop3.GetMessageSizesAsync(), Is.EqualTo(stored.Select(b => b.Length)));
        Assert.That((await pop3.GetMessageUidsAsync()).Distinct().Count(), Is.EqualTo(2));
        for (var i = 0; i < stored.Count; i++)
        {
            using var retrieved = await pop3.GetStreamAsync(i);
            Assert.That(ReadAll(retrieved), Is.EqualTo(stored[i]), $"message {i + 1}");
        }
        await pop3.DisconnectAsync(true);
    }

    [Test]
    public async Task Top_sends_the_header_only()
    {
        var stored = (await AppendAsync(TestMessages.Simple("Headers", "body line\n")))[0];
        using var pop3 = await ConnectAsync();
        using var top = await pop3.GetStreamAsync(0, headersOnly: true);
        var header = Encoding.ASCII.GetString(ReadAll(top));
        Assert.That(header, Does.Contain("Subject: Headers").And.Not.Contain("body line"));
        Assert.That(Encoding.ASCII.GetString(stored), Does.StartWith(header.TrimEnd('\r', '\n')));
    }

    [Test]
    public async Task Dele_then_quit_expunges_in_the_store_and_imap_sees_it()
    {
        await AppendAsync(TestMessages.Simple("Keep", "k"), TestMessages.Simple("Remove", "r"));
        using (var pop3 = await ConnectAsync())
        {
            await pop3.DeleteMessageAsync(1);
            Assert.That(await pop3.GetMessageCountAsync(), Is.EqualTo(1), "STAT leaves out messages marked as deleted");
            await pop3.DisconnectAsync(true);
        }
        Assert.That(await SubjectsAsync(), Is.EqualTo(new[] { "Keep" }));
    }

    [Test]
    public async Task Rset_unmarks_and_a_dropped_connection_deletes_nothing()
    {
        await AppendAsync(TestMessages.Simple("One", "1"), TestMessages.Simple("Two", "2"));
        using (var pop3 = await ConnectAsync())
        {
            await pop3.DeleteMessageAsync(0);
            await pop3.ResetAsync();
            await pop3.DisconnectAsync(true);
        }
        using (var pop3 = await ConnectAsync())
        {
            await pop3.DeleteMessageAsync(1);
            await pop3.DisconnectAsync(false); // no QUIT: RFC 1939 §6, no UPDATE state
        }
        Assert.That(await SubjectsAsync(), Is.EqualTo(new[] { "One", "Two" }));
    }

    [Test]
    public async Task Uidls_are_the_same_in_every_session()
    {
        await AppendAsync(TestMessages.Simple("A", "a"), TestMessages.Simple("B", "b"), TestMessages.Simple("C", "c"));
        IList<string> before;
        using (var pop3 = await ConnectAsync())
            before = await pop3.GetMessageUidsAsync();
        using (var imap = await _server.ConnectAsync())
        {
            await imap.Inbox.OpenAsync(FolderAccess.ReadWrite);
            await imap.Inbox.AddFlagsAsync(0, MessageFlags.Deleted | MessageFlags.Seen, silent: true);
            await imap.Inbox.ExpungeAsync();
        }
        await AppendAsync(TestMessages.Simple("D", "d"));
        using (var pop3 = await ConnectAsync())
        {
            var after = await pop3.GetMessageUidsAsync();
            Assert.That(after.Take(2), Is.EqualTo(before.Skip(1)));
            Assert.That(after[2], Is.Not.AnyOf(before.ToArray()));
        }
    }

    [Test]
    public async Task Wrong_password_is_ERR_AUTH()
    {
        var log = new MemoryStream();
        using var pop3 = new Pop3Client(new ProtocolLogger(log));
        pop3.ServerCertificateValidationCallback = (_, _, _, _) => true;
        await pop3.ConnectAsync("127.0.0.1", _server.Pop3sPort, SecureSocketOptions.SslOnConnect);
        Assert.ThrowsAsync<AuthenticationException>(() => pop3.AuthenticateAsync(MailServer.User, "wrong"));
        Assert.That(Encoding.UTF8.GetString(log.ToArray()), Does.Contain("-ERR [AUTH]"));
    }

    private async Task<Pop3Client> ConnectAsync(bool implicitTls = false)
    {
        var pop3 = new Pop3Client { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await pop3.ConnectAsync("127.0.0.1", implicitTls ? _server.Pop3sPort : _server.Pop3Port,
            implicitTls ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls);
        await pop3.AuthenticateAsync(MailServer.User, MailServer.Password);
        return pop3;
    }

    /// <summary>Appends through IMAP and returns each message's bytes as the store holds them (IMAP BODY[]).</summary>
    private async Task<List<byte[]>> AppendAsync(params MimeMessage[] messages)
    {
        using var imap = await _server.ConnectAsync();
        var stored = new List<byte[]>();
        foreach (var message in messages)
        {
            var uid = await imap.Inbox.AppendAsync(new AppendRequest(message));
            await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
            using var body = await imap.Inbox.GetStreamAsync(uid!.Value, "");
            stored.Add(ReadAll(body));
        }
        return stored;
    }

    private async Task<List<string>> SubjectsAsync()
    {
        using var imap = await _server.ConnectAsync();
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var summaries = await imap.Inbox.FetchAsync(0, -1, MessageSummaryItems.Envelope);
        return [.. summaries.Select(s => s.Envelope!.Subject ?? "")];
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
