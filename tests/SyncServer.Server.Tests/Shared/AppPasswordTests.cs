using System.Text.RegularExpressions;
using MailKit.Net.Pop3;
using MailKit.Security;
using SyncServer.Server.Tests.Cli;

namespace SyncServer.Server.Tests.Shared;

/// <summary>
/// App passwords made with <c>user app-password add</c> log in wherever the account password does (one
/// <c>Authenticator</c> serves every protocol), show their last use in <c>list</c>, and stop working once removed.
/// </summary>
[NonParallelizable]
public sealed partial class AppPasswordTests
{
    private MailServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await MailServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task AppPassword_LogsInOverImapAndPop3_ListedAsUsed_RefusedOnceRemoved()
    {
        var added = await Cli("user", "app-password", "add", MailServer.User, "phone");
        var secret = added.TrimEnd('\n');
        Assert.That(secret, Does.Match(SecretShape()));
        Assert.That(await Cli("user", "app-password", "list", MailServer.User), Does.Match(@"^phone\t\S+ \S+\tnever\n$"));

        using (var imap = await _server.ConnectAsync(implicitTls: true, password: secret.ToUpperInvariant().Replace("-", "")))
            Assert.That(imap.IsAuthenticated);
        using (var pop3 = new Pop3Client())
        {
            pop3.ServerCertificateValidationCallback = (_, _, _, _) => true;
            await pop3.ConnectAsync("127.0.0.1", _server.Pop3Port, SecureSocketOptions.StartTls);
            await pop3.AuthenticateAsync(MailServer.User, secret);
            Assert.That(pop3.IsAuthenticated);
        }
        Assert.That(await Cli("user", "app-password", "list", MailServer.User), Does.Match(@"^phone\t\S+ \S+\t\S+ \S+Z\n$"));
        Assert.That(_server.Stderr, Does.Not.Contain(secret), "the secret is never logged");

        await Cli("user", "app-password", "remove", MailServer.User, "phone");
        Assert.ThrowsAsync<AuthenticationException>(() => _server.ConnectAsync(implicitTls: true, password: secret));
        using (var imap = await _server.ConnectAsync(implicitTls: true))
            Assert.That(imap.IsAuthenticated, "the account password is unaffected");
    }

    [Test]
    public async Task AppPasswordVerbs_FailWithTheDocumentedExitCodes()
    {
        await Cli("user", "app-password", "add", MailServer.User, "laptop");
        var duplicate = await ServerProcess.RunAsync(_server.DataDirectory, null, "user", "app-password", "add", MailServer.User, "laptop");
        Assert.That((duplicate.ExitCode, duplicate.Stdout), Is.EqualTo((3, "")));
        var unknown = await ServerProcess.RunAsync(_server.DataDirectory, null, "user", "app-password", "add", "nobody@example.org", "x");
        Assert.That(unknown.ExitCode, Is.EqualTo(2));
        var missing = await ServerProcess.RunAsync(_server.DataDirectory, null, "user", "app-password", "remove", MailServer.User, "tablet");
        Assert.That((missing.ExitCode, missing.Stderr), Is.EqualTo((2, $"error: {MailServer.User} has no app password named 'tablet'\n")));
        await Cli("user", "app-password", "remove", MailServer.User, "laptop");
    }

    private async Task<string> Cli(params string[] args)
    {
        var result = await ServerProcess.RunAsync(_server.DataDirectory, null, args);
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        return result.Stdout;
    }

    [GeneratedRegex("^[a-z]{5}-[a-z]{5}-[a-z]{5}-[a-z]{5}$")]
    private static partial Regex SecretShape();
}
