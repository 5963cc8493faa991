using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using SyncServer.Core.Delivery;
using SyncServer.Storage;

namespace SyncServer.Server.Tests.Cli;

/// <summary>The mail-transport verbs: <c>domain dkim</c> and <c>queue list|retry|delete</c>.</summary>
public sealed partial class CliTests
{
    [Test]
    public async Task DomainDkim_PrintsTheTxtRecord_OfTheStoredKey()
    {
        var line = (await Ok(null, "domain", "dkim", "Example.ORG")).TrimEnd('\n');

        const string owner = "syncserver._domainkey.example.org IN TXT ";
        Assert.That(line, Does.StartWith(owner));
        var record = string.Concat(Regex.Matches(line[owner.Length..], "\"([^\"]*)\"").Select(m => m.Groups[1].Value));
        using var key = RSA.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(Path.Combine(_data, "dkim", "example.org.pem")));
        Assert.That(record, Is.EqualTo($"v=DKIM1; k=rsa; p={Convert.ToBase64String(key.ExportSubjectPublicKeyInfo())}"));
        Assert.That(await Ok(null, "domain", "dkim", "example.org"), Is.EqualTo(line + "\n"));

        var unknown = await ServerProcess.RunAsync(_data, null, "domain", "dkim", "unknown.org");
        Assert.That((unknown.ExitCode, unknown.Stderr), Is.EqualTo((2, "error: no domain unknown.org\n")));
    }

    [Test]
    public async Task Queue_ListRetryDelete_OnTheStoreServeUses()
    {
        Assert.That(await Ok(null, "queue", "list"), Is.Empty);
        await using (var store = await StoreHost.OpenAsync(new StorageOptions { DataDirectory = _data }, TimeProvider.System, CancellationToken.None))
        {
            var (blob, size) = await store.Blobs.WriteAsync(new MemoryStream(Encoding.ASCII.GetBytes("Subject: x\r\n\r\nx\r\n")), CancellationToken.None);
            await store.Queue.EnqueueAsync(new RelayMessage("bob@example.org", [new RelayRecipient("carol@remote.example", null)], blob, size, default, null),
                CancellationToken.None);
        }

        Assert.That(await Ok(null, "queue", "list"), Does.Match(@"^1\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\t<bob@example.org>\n  carol@remote.example\tqueued\t0\t[^\t]+\t-\n$"));
        Assert.That(await Ok(null, "queue", "retry"), Is.EqualTo("1 recipients due now\n"));
        Assert.That(await Ok(null, "queue", "retry", "1"), Is.EqualTo("1 recipients due now\n"));
        var missing = await ServerProcess.RunAsync(_data, null, "queue", "retry", "7");
        Assert.That((missing.ExitCode, missing.Stderr), Is.EqualTo((2, "error: no queued message 7\n")));

        await Ok(null, "queue", "delete", "1");
        Assert.That(await Ok(null, "queue", "list"), Is.Empty);
        Assert.That((await ServerProcess.RunAsync(_data, null, "queue", "delete", "1")).ExitCode, Is.EqualTo(2));
    }
}
