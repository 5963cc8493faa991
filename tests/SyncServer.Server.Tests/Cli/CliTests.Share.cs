namespace SyncServer.Server.Tests.Cli;

/// <summary><c>share add|remove|list</c>: sharing a calendar, task list or address book with another account.</summary>
public sealed partial class CliTests
{
    [Test]
    public async Task Share_AddListChangeRemove()
    {
        await Ok("pw\n", "user", "add", "alice@example.org", "--password-stdin");
        await Ok("pw\n", "user", "add", "carol@example.org", "--password-stdin");
        Assert.That(await Ok(null, "share", "list"), Is.Empty);

        await Ok(null, "share", "add", "alice@example.org", "calendar", "bob@example.org", "--rights", "read");
        await Ok(null, "share", "add", "Alice@EXAMPLE.org", "contacts", "bob@example.org", "--rights", "read-write");
        await Ok(null, "share", "add", "bob@example.org", "tasks", "carol@example.org", "--rights", "read-write");
        Assert.That(await Ok(null, "share", "list"), Is.EqualTo(
            "alice@example.org/calendar -> bob@example.org (read)\n" +
            "alice@example.org/contacts -> bob@example.org (read-write)\n" +
            "bob@example.org/tasks -> carol@example.org (read-write)\n"));
        Assert.That(await Ok(null, "share", "list", "carol@example.org"), Is.EqualTo("bob@example.org/tasks -> carol@example.org (read-write)\n"),
            "shares carol receives");
        Assert.That(await Ok(null, "share", "list", "alice@example.org"), Does.Not.Contain("tasks"), "shares alice owns");

        await Ok(null, "share", "add", "alice@example.org", "calendar", "bob@example.org", "--rights", "read-write");
        await Ok(null, "share", "remove", "alice@example.org", "contacts", "bob@example.org");
        Assert.That(await Ok(null, "share", "list", "bob@example.org"), Is.EqualTo(
            "alice@example.org/calendar -> bob@example.org (read-write)\n" +
            "bob@example.org/tasks -> carol@example.org (read-write)\n"));

        await Ok(null, "user", "remove", "carol@example.org");
        Assert.That(await Ok(null, "share", "list"), Is.EqualTo("alice@example.org/calendar -> bob@example.org (read-write)\n"),
            "a removed account's grants go with it");
    }

    [TestCase(2, "share", "add", "nobody@example.org", "calendar", "bob@example.org", "--rights", "read")]
    [TestCase(2, "share", "add", "alice@example.org", "calendar", "nobody@example.org", "--rights", "read")]
    [TestCase(2, "share", "add", "alice@example.org", "holidays", "bob@example.org", "--rights", "read")]
    [TestCase(2, "share", "add", "alice@example.org", "INBOX", "bob@example.org", "--rights", "read")]
    [TestCase(1, "share", "add", "alice@example.org", "calendar", "bob@example.org", "--rights", "write")]
    [TestCase(1, "share", "add", "alice@example.org", "calendar", "bob@example.org")]
    [TestCase(1, "share", "add", "alice@example.org", "calendar", "alice@example.org", "--rights", "read")]
    [TestCase(1, "share", "add", "alice", "calendar", "bob@example.org", "--rights", "read")]
    [TestCase(3, "share", "add", "alice@example.org", "contacts", "bob@example.org", "--rights", "read")]
    [TestCase(2, "share", "remove", "alice@example.org", "calendar", "bob@example.org")]
    [TestCase(2, "share", "list", "nobody@example.org")]
    public async Task Share_BadInput_FailsWithOneLine_AndChangesNothing(int exitCode, params string[] args)
    {
        await Ok("pw\n", "user", "add", "alice@example.org", "--password-stdin");
        await Ok(null, "share", "add", "alice@example.org", "contacts", "bob@example.org", "--rights", "read");
        var before = await Ok(null, "share", "list");

        var result = await ServerProcess.RunAsync(_data, null, args);

        Assert.That(result.ExitCode, Is.EqualTo(exitCode), result.Stderr);
        // A missing or unknown --rights is a parse error: System.CommandLine prints it with the usage.
        var usage = args[1] == "add" && (!args.Contains("--rights") || args.Contains("write"));
        Assert.That(result.Stderr, usage ? Does.Contain("--rights").Or.Contain("'write'") : Does.Match(@"^error: [^\n]+\n$"));
        Assert.That(await Ok(null, "share", "list"), Is.EqualTo(before));
    }
}
