using System.Diagnostics;
using System.Globalization;
using System.Text;
using MailKit;
using MailKit.Search;
using SyncServer.Server.Tests.Shared;

namespace SyncServer.Server.Tests.Imap;

/// <summary>
/// Debian's own mail clients against the real server (installed by <c>.ci/run</c>): isync's <c>mbsync</c> syncing a
/// mailbox both ways, <c>fetchmail</c> over POP3S, and <c>s-nail</c> listing and reading over IMAPS. Each checks
/// the server's self-signed certificate from the data directory, with its configuration written to a temp dir.
/// </summary>
[NonParallelizable]
public sealed class DebianClientTests
{
    private MailServer _server = null!;
    private string _dir = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await MailServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [SetUp]
    public void MakeDirectory() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "syncserver-clients-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task Mbsync_syncs_messages_and_flags_both_ways()
    {
        using var imap = await _server.ConnectAsync();
        var folder = (await imap.GetFolder(imap.PersonalNamespaces[0])!.CreateAsync("Sync", true))!;
        foreach (var subject in new[] { "one", "two", "three" })
            await folder.AppendAsync(new AppendRequest(TestMessages.Simple(subject, $"body of {subject}\n")));
        var config = Path.Combine(_dir, "mbsyncrc");
        var maildir = Path.Combine(_dir, "mail") + "/";
        Directory.CreateDirectory(maildir);
        await File.WriteAllTextAsync(config, $"""
            IMAPAccount server
            Host localhost
            Port {_server.ImapsPort}
            User {MailServer.User}
            Pass "{MailServer.Password}"
            SSLType IMAPS
            CertificateFile {_server.CertificatePath}
            SystemCertificates no
            AuthMechs LOGIN

            IMAPStore far
            Account server

            MaildirStore near
            Path {maildir}
            Inbox {maildir}INBOX

            Channel sync
            Far :far:Sync
            Near :near:Sync
            Create Both
            Expunge Both
            SyncState *

            """);

        var first = await RunAsync("mbsync", null, "-c", config, "sync");
        Assert.That(first.ExitCode, Is.Zero, first.Output);
        Assert.That(LocalMessages(maildir).Select(m => Subject(m)).Order(), Is.EqualTo(new[] { "one", "three", "two" }));

        // Far side: \Flagged on "one". Near side: "two" read (maildir flag S) and a new message written.
        await folder.OpenAsync(FolderAccess.ReadWrite);
        var uids = await folder.SearchAsync(SearchQuery.All);
        await folder.AddFlagsAsync(uids[0], MessageFlags.Flagged, silent: true);
        await folder.CloseAsync();
        var two = LocalMessages(maildir).Single(m => Subject(m) == "two");
        File.Move(two, Path.Combine(maildir, "Sync", "cur", Path.GetFileName(two).Split(':')[0] + ":2,S"));
        await File.WriteAllTextAsync(Path.Combine(maildir, "Sync", "new", "1700000000.local.host"),
            "From: Carol <carol@example.org>\r\nTo: alice@example.org\r\nSubject: four\r\n\r\nwritten in the maildir\r\n");

        var second = await RunAsync("mbsync", null, "-c", config, "sync");
        Assert.That(second.ExitCode, Is.Zero, second.Output);
        Assert.That(Path.GetFileName(LocalMessages(maildir).Single(m => Subject(m) == "one")), Does.Match(":2,[A-Z]*F"), "far flag reached the maildir");
        await folder.OpenAsync(FolderAccess.ReadOnly);
        var summaries = await folder.FetchAsync(0, -1, MessageSummaryItems.Envelope | MessageSummaryItems.Flags);
        Assert.That(summaries.Select(s => s.Envelope!.Subject), Is.EqualTo(new[] { "one", "two", "three", "four" }));
        Assert.That(summaries.Select(s => s.Flags!.Value), Is.EqualTo(new[] { MessageFlags.Flagged, MessageFlags.Seen, MessageFlags.None, MessageFlags.None }));
    }

    [Test]
    public async Task Fetchmail_fetches_over_POP3S_and_deletes_what_it_fetched()
    {
        using var imap = await _server.ConnectAsync();
        foreach (var subject in new[] { "pop one", "pop two" })
            await imap.Inbox.AppendAsync(new AppendRequest(TestMessages.Simple(subject, "fetch me\n")));
        var delivered = Path.Combine(_dir, "delivered");
        Directory.CreateDirectory(delivered);
        var rc = Path.Combine(_dir, "fetchmailrc");
        await File.WriteAllTextAsync(rc, $"""
            set no bouncemail
            poll localhost protocol POP3 port {_server.Pop3sPort}
              user "{MailServer.User}" password "{MailServer.Password}"
              ssl sslcertck sslcertfile "{_server.CertificatePath}"
              mda "cat > {delivered}/message.$$"

            """);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(rc, UnixFileMode.UserRead | UnixFileMode.UserWrite); // fetchmail refuses a readable rc file

        var run = await RunAsync("fetchmail", new() { ["HOME"] = _dir, ["FETCHMAILHOME"] = _dir }, "-f", rc, "--nosyslog", "--idfile", Path.Combine(_dir, "ids"));
        Assert.That(run.ExitCode, Is.Zero, run.Output);
        var files = Directory.GetFiles(delivered);
        Assert.That(files, Has.Length.EqualTo(2), run.Output);
        Assert.That(files.Select(f => Subject(f)).Order(), Is.EqualTo(new[] { "pop one", "pop two" }));
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        Assert.That(imap.Inbox.Count, Is.Zero, "DELE and QUIT expunged the fetched messages, as IMAP sees it");
    }

    [Test]
    public async Task S_nail_lists_and_reads_a_message_over_IMAPS()
    {
        using var imap = await _server.ConnectAsync();
        var folder = (await imap.GetFolder(imap.PersonalNamespaces[0])!.CreateAsync("Reading", true))!;
        await folder.AppendAsync(new AppendRequest(TestMessages.Simple("Agenda for Monday", "first item: the budget\n")));
        await folder.AppendAsync(new AppendRequest(TestMessages.Simple("Lunch", "pizza\n")));
        var user = Uri.EscapeDataString(MailServer.User);
        var run = await RunAsync("s-nail", new() { ["HOME"] = _dir, ["SSL_CERT_FILE"] = _server.CertificatePath }, "-#", "-:/",
            "-Sv15-compat", "-Sshowto", "-Stls-ca-file=" + _server.CertificatePath, "-Stls-ca-no-defaults",
            "-Spassword=" + MailServer.Password,
            "-Y", "headers", "-Y", "type 1", "-Y", "xit",
            "-f", $"imaps://{user}@localhost:{_server.ImapsPort.ToString(CultureInfo.InvariantCulture)}/Reading");
        Assert.That(run.ExitCode, Is.Zero, run.Output);
        Assert.That(run.Output, Does.Contain("Agenda for Monday").And.Contain("Lunch"), "headers lists both");
        Assert.That(run.Output, Does.Contain("first item: the budget"), "type 1 shows the body");
    }

    private static IEnumerable<string> LocalMessages(string maildir) =>
        new[] { "new", "cur" }.SelectMany(sub => Directory.GetFiles(Path.Combine(maildir, "Sync", sub)));

    private static string Subject(string file) =>
        File.ReadLines(file).First(l => l.StartsWith("Subject: ", StringComparison.Ordinal))["Subject: ".Length..];

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, Dictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? [])
            info.Environment[key] = value;
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, new StringBuilder().Append(await stdout).Append(await stderr).ToString());
    }
}
