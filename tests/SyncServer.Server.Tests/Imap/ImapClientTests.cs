using System.Net.Sockets;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;
using SyncServer.Server.Tests.Shared;

namespace SyncServer.Server.Tests.Imap;

/// <summary>MailKit's ImapClient against the real server over STARTTLS and implicit TLS.</summary>
[NonParallelizable]
public sealed class ImapClientTests
{
    private MailServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await MailServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [TestCase(false)]
    [TestCase(true)]
    public async Task Logs_in_over_TLS_and_announces_the_extensions(bool implicitTls)
    {
        using var client = await _server.ConnectAsync(implicitTls);
        Assert.That(client.IsSecure, Is.True);
        var wanted = ImapCapabilities.Idle | ImapCapabilities.UidPlus | ImapCapabilities.Move | ImapCapabilities.SpecialUse | ImapCapabilities.CondStore;
        Assert.That(client.Capabilities & wanted, Is.EqualTo(wanted));
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
        await client.DisconnectAsync(true);
    }

    [Test]
    public async Task Login_before_STARTTLS_is_refused()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", _server.ImapPort);
        using var reader = new StreamReader(tcp.GetStream(), Encoding.ASCII);
        var greeting = await reader.ReadLineAsync();
        Assert.That(greeting, Does.Contain("STARTTLS").And.Contain("LOGINDISABLED").And.Not.Contain("AUTH="));
        await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes($"a LOGIN {MailServer.User} \"{MailServer.Password}\"\r\n"));
        Assert.That(await reader.ReadLineAsync(), Does.StartWith("a NO [PRIVACYREQUIRED]"));
    }

    [Test]
    public async Task Wrong_password_is_AUTHENTICATIONFAILED()
    {
        var log = new MemoryStream();
        using var client = new ImapClient(new ProtocolLogger(log));
        client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        await client.ConnectAsync("127.0.0.1", _server.ImapsPort, SecureSocketOptions.SslOnConnect);
        Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(MailServer.User, "wrong"));
        Assert.That(Encoding.UTF8.GetString(log.ToArray()), Does.Contain("NO [AUTHENTICATIONFAILED]"));
    }

    [Test]
    public async Task Lists_special_use_and_children()
    {
        using var client = await _server.ConnectAsync();
        var root = client.GetFolder(client.PersonalNamespaces[0]);
        var projects = await root!.CreateAsync("Projects", true);
        await projects!.CreateAsync("2024", true);
        var folders = await root.GetSubfoldersAsync(false);
        Assert.That(folders.Single(f => f.Name == "Sent").Attributes.HasFlag(FolderAttributes.Sent), Is.True);
        Assert.That(folders.Single(f => f.Name == "Trash").Attributes.HasFlag(FolderAttributes.Trash), Is.True);
        Assert.That(folders.Single(f => f.Name == "Projects").Attributes.HasFlag(FolderAttributes.HasChildren), Is.True);
        var year = await client.GetFolderAsync("Projects/2024");
        await year.RenameAsync(projects, "2025");
        Assert.That((await projects.GetSubfoldersAsync(false)).Select(f => f.Name), Is.EqualTo(new[] { "2025" }));
    }

    [Test]
    public async Task Nested_multipart_structure_and_sections_are_the_stored_bytes()
    {
        using var client = await _server.ConnectAsync(implicitTls: true);
        var folder = await CreateFolderAsync(client, "Structure");
        var original = TestMessages.NestedWithAttachment();
        var bytes = TestMessages.Bytes(original);
        var uid = await folder.AppendAsync(new AppendRequest(MimeMessage.Load(new MemoryStream(bytes))));
        Assert.That(uid, Is.Not.Null, "APPENDUID");
        await folder.OpenAsync(FolderAccess.ReadWrite);

        var summary = (await folder.FetchAsync([uid!.Value], MessageSummaryItems.BodyStructure | MessageSummaryItems.Envelope | MessageSummaryItems.Size)).Single();
        Assert.That(summary.Size, Is.EqualTo(bytes.Length));
        Assert.That(summary.Envelope!.Subject, Is.EqualTo(original.Subject));
        var parsed = MimeMessage.Load(new MemoryStream(bytes));
        Assert.That(Shape(summary.Body!), Is.EqualTo(Shape(parsed.Body!)));
        var attachment = summary.Attachments.Single();
        Assert.That(attachment.FileName, Is.EqualTo("report.pdf"));

        using var whole = await folder.GetStreamAsync(uid.Value, "");
        Assert.That(ReadAll(whole), Is.EqualTo(bytes), "BODY[] is the appended bytes");
        using var part = await folder.GetStreamAsync(uid.Value, attachment.PartSpecifier);
        // MimeKit keeps a parsed part's content still encoded: BODY[n] must be exactly those octets.
        var stored = parsed.Attachments.OfType<MimePart>().Single().Content!.Stream!;
        Assert.That(Encoding.ASCII.GetString(ReadAll(part)), Is.EqualTo(Encoding.ASCII.GetString(ReadAll(stored))));
        using var partial = await folder.GetStreamAsync(uid.Value, "", 10, 20);
        Assert.That(ReadAll(partial), Is.EqualTo(bytes[10..30]));
        using var header = await folder.GetStreamAsync(uid.Value, "HEADER.FIELDS (SUBJECT)");
        Assert.That(Encoding.ASCII.GetString(ReadAll(header)), Is.EqualTo($"Subject: {original.Subject}\r\n\r\n"));
    }

    [Test]
    public async Task Search_and_flags()
    {
        using var client = await _server.ConnectAsync();
        var folder = await CreateFolderAsync(client, "Search");
        await folder.AppendAsync(new AppendRequest(TestMessages.Simple("Quarterly numbers", "the budget is fine")));
        await folder.AppendAsync(new AppendRequest(TestMessages.Simple("Lunch", "pizza on friday")));
        await folder.AppendAsync(new AppendRequest(TestMessages.Simple("Budget meeting", new string('x', 5000))));
        await folder.OpenAsync(FolderAccess.ReadWrite);

        Assert.That(await folder.SearchAsync(SearchQuery.SubjectContains("budget")), Has.Count.EqualTo(1));
        Assert.That(await folder.SearchAsync(SearchQuery.BodyContains("PIZZA")), Has.Count.EqualTo(1));
        Assert.That(await folder.SearchAsync(SearchQuery.LargerThan(4000)), Has.Count.EqualTo(1));
        var all = await folder.SearchAsync(SearchQuery.All);
        Assert.That(all, Has.Count.EqualTo(3));

        await folder.AddFlagsAsync(all[1], MessageFlags.Flagged, silent: true);
        await folder.AddFlagsAsync(all[0], MessageFlags.Seen, silent: false);
        Assert.That(await folder.SearchAsync(SearchQuery.Flagged), Is.EqualTo(new[] { all[1] }));
        Assert.That(await folder.SearchAsync(SearchQuery.NotSeen), Is.EqualTo(new[] { all[1], all[2] }));
        Assert.That(await folder.SearchAsync(SearchQuery.Not(SearchQuery.Flagged).And(SearchQuery.FromContains("alice"))), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Copy_and_move_answer_with_COPYUID()
    {
        using var client = await _server.ConnectAsync();
        var source = await CreateFolderAsync(client, "CopySource");
        var target = await CreateFolderAsync(client, "CopyTarget");
        for (var i = 0; i < 3; i++)
            await source.AppendAsync(new AppendRequest(TestMessages.Simple($"message {i}", "body")));
        await source.OpenAsync(FolderAccess.ReadWrite);
        var uids = await source.SearchAsync(SearchQuery.All);

        var copied = await source.CopyToAsync(uids, target);
        Assert.That(copied.Source, Is.EqualTo(uids));
        Assert.That(copied.Destination, Has.Count.EqualTo(3));
        var moved = await source.MoveToAsync([uids[0]], target);
        Assert.That(moved.Destination, Has.Count.EqualTo(1));
        Assert.That(source.Count, Is.EqualTo(2), "the moved message was expunged from the view");

        var status = await client.GetFolderAsync("CopyTarget");
        await status.StatusAsync(StatusItems.Count | StatusItems.UidNext);
        Assert.That(status.Count, Is.EqualTo(4));
    }

    [Test]
    public async Task Idle_is_woken_by_another_session()
    {
        using var watcher = await _server.ConnectAsync();
        using var writer = await _server.ConnectAsync(implicitTls: true);
        var folder = await CreateFolderAsync(watcher, "Idle");
        await folder.OpenAsync(FolderAccess.ReadOnly);
        var arrived = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        folder.CountChanged += (_, _) => arrived.TrySetResult(folder.Count);

        using var done = new CancellationTokenSource();
        var idle = watcher.IdleAsync(done.Token);
        await Task.Delay(300);
        await (await writer.GetFolderAsync("Idle")).AppendAsync(new AppendRequest(TestMessages.Simple("new mail", "hello")));

        var completed = await Task.WhenAny(arrived.Task, Task.Delay(TimeSpan.FromSeconds(5)));
        await done.CancelAsync();
        await idle;
        Assert.That(completed, Is.SameAs(arrived.Task), "EXISTS during IDLE");
        Assert.That(await arrived.Task, Is.EqualTo(1));
    }

    private static async Task<IMailFolder> CreateFolderAsync(ImapClient client, string name) =>
        (await client.GetFolder(client.PersonalNamespaces[0])!.CreateAsync(name, true))!;

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Content types in tree order, e.g. "multipart/mixed(text/plain,…)".</summary>
    private static string Shape(BodyPart part) => part switch
    {
        BodyPartMultipart multipart => $"{multipart.ContentType.MimeType}({string.Join(",", multipart.BodyParts.Select(Shape))})",
        BodyPartMessage message => $"{message.ContentType.MimeType}[{Shape(message.Body!)}]",
        _ => part.ContentType.MimeType,
    };

    private static string Shape(MimeEntity entity) => entity switch
    {
        Multipart multipart => $"{multipart.ContentType.MimeType}({string.Join(",", multipart.Select(Shape))})",
        MessagePart message => $"{message.ContentType.MimeType}[{Shape(message.Message!.Body!)}]",
        _ => entity.ContentType.MimeType,
    };
}
