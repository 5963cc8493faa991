namespace SyncServer.Server.Tests.Cli;

/// <summary>Every verb of the CLI against a real store in a temporary data directory (needs the storage step).</summary>
public sealed partial class CliTests
{
    private string _data = null!;

    [SetUp]
    public async Task SetUp()
    {
        _data = Path.Combine(Path.GetTempPath(), "syncserver-cli-" + Guid.NewGuid().ToString("N"));
        await Ok(null, "domain", "add", "example.org");
        await Ok("secret\n", "user", "add", "bob@example.org", "--password-stdin", "--name", "Bob Smith", "--quota", "500M");
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_data))
            Directory.Delete(_data, recursive: true);
    }

    [Test]
    public async Task Domains_AddListRemove()
    {
        await Ok(null, "domain", "add", "Example.NET");
        Assert.That(await Ok(null, "domain", "list"), Is.EqualTo("example.net\nexample.org\n").Or.EqualTo("example.org\nexample.net\n"));
        await Ok(null, "domain", "remove", "example.net");
        Assert.That(await Ok(null, "domain", "list"), Is.EqualTo("example.org\n"));
    }

    [Test]
    public async Task Users_AddListPasswdDisableRemove()
    {
        await Ok("pw2\n", "user", "add", "alice@example.org", "--password-stdin");
        Assert.That(await Ok(null, "user", "list", "example.org"), Does.Contain("bob@example.org\tBob Smith\t500M\tenabled\n")
            .And.Contain("alice@example.org\talice\t-\tenabled\n"));

        await Ok("new password\n", "user", "passwd", "bob@example.org", "--password-stdin");
        await Ok(null, "user", "disable", "bob@example.org");
        Assert.That(await Ok(null, "user", "list"), Does.Contain("bob@example.org\tBob Smith\t500M\tdisabled"));
        await Ok(null, "user", "enable", "bob@example.org");
        await Ok(null, "user", "remove", "alice@example.org");
        Assert.That(await Ok(null, "user", "list"), Does.Not.Contain("alice@"));
    }

    [Test]
    public async Task AliasesAndLists()
    {
        await Ok(null, "alias", "add", "info@example.org", "bob@example.org", "someone@elsewhere.net");
        await Ok(null, "alias", "add", "@example.org", "bob@example.org");
        Assert.That(await Ok(null, "alias", "list"), Does.Contain("info@example.org -> ").And.Contain("@example.org -> bob@example.org"));
        await Ok(null, "alias", "remove", "info@example.org", "someone@elsewhere.net");
        Assert.That(await Ok(null, "alias", "list"), Does.Not.Contain("someone@elsewhere.net"));
        await Ok(null, "alias", "remove", "info@example.org");

        await Ok(null, "list", "add", "team@example.org", "--policy", "members", "--member", "bob@example.org", "--member", "x@elsewhere.net");
        Assert.That(await Ok(null, "list", "show", "team@example.org"),
            Does.Contain("policy: members").And.Contain("member: bob@example.org").And.Contain("member: x@elsewhere.net"));
        Assert.That(await Ok(null, "list", "show"), Does.Contain("team@example.org\tmembers\t2"));
        await Ok(null, "list", "remove", "team@example.org");
        Assert.That(await Ok(null, "list", "show"), Is.Empty);
    }

    [TestCase(1, null, "domain", "add", "not a domain")]
    [TestCase(3, null, "domain", "add", "example.org")]
    [TestCase(1, null, "domain", "remove", "example.org")]
    [TestCase(2, null, "domain", "remove", "nowhere.org")]
    [TestCase(1, "pw\n", "user", "add", "not-an-address", "--password-stdin")]
    [TestCase(1, "pw\n", "user", "add", "bob@@example.org", "--password-stdin")]
    [TestCase(2, "pw\n", "user", "add", "carol@unknown.org", "--password-stdin")]
    [TestCase(3, "pw\n", "user", "add", "bob@example.org", "--password-stdin")]
    [TestCase(3, "pw\n", "user", "add", "Bob@EXAMPLE.org", "--password-stdin", "--name", "x")]
    [TestCase(1, "\n", "user", "add", "carol@example.org", "--password-stdin")]
    [TestCase(1, "", "user", "add", "carol@example.org", "--password-stdin")]
    [TestCase(1, "pw\n", "user", "add", "carol@example.org")]
    [TestCase(1, "pw\n", "user", "add", "carol@example.org", "--password-stdin", "--quota", "lots")]
    [TestCase(2, null, "user", "list", "unknown.org")]
    [TestCase(2, "pw\n", "user", "passwd", "nobody@example.org", "--password-stdin")]
    [TestCase(1, "\n", "user", "passwd", "bob@example.org", "--password-stdin")]
    [TestCase(2, null, "user", "remove", "nobody@example.org")]
    [TestCase(3, null, "alias", "add", "bob@example.org", "x@elsewhere.net")]
    [TestCase(2, null, "alias", "add", "info@unknown.org", "bob@example.org")]
    [TestCase(1, null, "alias", "add", "info@example.org", "not an address")]
    [TestCase(2, null, "alias", "remove", "nothing@example.org")]
    [TestCase(1, null, "list", "add", "team@example.org", "--policy", "everybody")]
    [TestCase(1, null, "list", "add", "team@example.org", "--policy", "senders", "--member", "bob@example.org")]
    [TestCase(3, null, "list", "add", "bob@example.org", "--policy", "anyone")]
    [TestCase(2, null, "list", "show", "nothing@example.org")]
    [TestCase(2, "pw\n", "admin", "passwd", "--password-stdin")]
    public async Task BadInput_FailsWithOneLine_AndChangesNothing(int exitCode, string? stdin, params string[] args)
    {
        var before = await Snapshot();

        var result = await ServerProcess.RunAsync(_data, stdin, args);

        Assert.That(result.ExitCode, Is.EqualTo(exitCode), result.Stderr);
        // A value outside --policy's choices is a parse error: System.CommandLine prints it with the usage.
        Assert.That(result.Stderr, args.Contains("everybody") ? Does.Contain("everybody") : Does.Match(@"^error: [^\n]+\n$"));
        Assert.That(await Snapshot(), Is.EqualTo(before));
    }

    private async Task<string> Snapshot()
        => await Ok(null, "domain", "list") + await Ok(null, "user", "list") + await Ok(null, "alias", "list") + await Ok(null, "list", "show");

    private async Task<string> Ok(string? stdin, params string[] args)
    {
        var result = await ServerProcess.RunAsync(_data, stdin, args);
        Assert.That(result.ExitCode, Is.Zero, $"{string.Join(' ', args)}: {result.Stderr}");
        Assert.That(result.Stderr, Is.Empty);
        return result.Stdout;
    }
}
