using System.Net.Sockets;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Server.Hosting;
using SyncServer.Server.Shared;
using SyncServer.Server.Tests.Cli;
using SyncServer.Server.Tests.Shared;
using SyncServer.Storage;

namespace SyncServer.Server.Tests.Smtp.EndToEnd;

/// <summary>
/// A real <c>serve</c> process with only its SMTP listeners, on free ports, over a temporary data directory whose
/// domain and users are made with the CLI. It can be killed and started again over the same data.
/// </summary>
public sealed class SmtpServe : IAsyncDisposable
{
    public const string Domain = "example.org";
    public const string Password = "correct horse";

    private readonly string _data = Path.Combine(Path.GetTempPath(), "syncserver-smtp-e2e-" + Guid.NewGuid().ToString("N"));
    private readonly IReadOnlyDictionary<string, string> _settings;
    private ServerProcess? _server;

    private SmtpServe(IReadOnlyDictionary<string, string> settings) => _settings = settings;

    public int Mx { get; private set; }
    public int Submission { get; private set; }
    public int Smtps { get; private set; }
    public string Stderr => _server?.Stderr ?? "";
    public bool HasExited => _server?.HasExited ?? true;
    public string SpoolDirectory => Path.Combine(_data, "spool");

    /// <summary>The DKIM keys <c>serve</c> signs with (made on first use in the data directory).</summary>
    public DkimKeys DkimKeys => DkimKeys.For(new SyncServerSettings { DataDirectory = _data });

    /// <summary>Makes the data directory with <see cref="Domain"/> and <paramref name="users"/> (all with <see cref="Password"/>), then starts.</summary>
    public static Task<SmtpServe> StartAsync(params string[] users) => StartAsync(new Dictionary<string, string>(), users);

    /// <inheritdoc cref="StartAsync(string[])"/>
    /// <param name="settings">Extra <c>SYNCSERVER__…</c> environment settings for every start.</param>
    /// <param name="users">The users to create.</param>
    public static async Task<SmtpServe> StartAsync(IReadOnlyDictionary<string, string> settings, params string[] users)
    {
        var serve = new SmtpServe(settings);
        await serve.CliAsync(null, "domain", "add", Domain);
        foreach (var user in users)
            await serve.CliAsync(Password + "\n", "user", "add", user, "--password-stdin");
        await serve.RestartAsync();
        return serve;
    }

    /// <summary>Starts serve (again) on fresh ports and waits until every SMTP listener greets.</summary>
    public async Task RestartAsync()
    {
        _server?.Dispose();
        (Mx, Submission, Smtps) = (ServerProcess.FreePort(), ServerProcess.FreePort(), ServerProcess.FreePort());
        var environment = ServerProcess.EnvironmentListeningOn(("SMTP", Mx), ("SUBMISSION", Submission), ("SMTPS", Smtps));
        environment["SYNCSERVER__SERVERNAME"] = "mx.test";
        foreach (var (key, value) in _settings)
            environment[key] = value;
        _server = ServerProcess.Start(_data, environment, "serve");
        // Kestrel accepts on each port as soon as it is bound, so wait for every one.
        foreach (var (port, tls) in new[] { (Mx, false), (Submission, false), (Smtps, true) })
            await WaitForGreetingAsync(port, tls);
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash.</summary>
    public void Kill() => _server?.Kill();

    /// <summary>Opens the store of the data directory (beside the running server, as the CLI does).</summary>
    public Task<OpenedStore> OpenStoreAsync()
        => StoreHost.OpenAsync(new StorageOptions { DataDirectory = _data }, TimeProvider.System, CancellationToken.None);

    /// <summary>The stored messages (trace headers included) in the INBOX of <paramref name="address"/>, read through the store.</summary>
    public async Task<IReadOnlyList<byte[]>> InboxAsync(string address)
        => (await InboxItemsAsync(address)).Select(i => i.Bytes).ToList();

    /// <summary>The items in the INBOX of <paramref name="address"/> with their bytes (trace headers included), read through the store.</summary>
    public Task<IReadOnlyList<(Item Item, byte[] Bytes)>> InboxItemsAsync(string address) => MailboxItemsAsync(address, CollectionRole.Inbox);

    /// <summary>The stored messages (trace headers included) in the collection of <paramref name="address"/> with <paramref name="role"/>.</summary>
    public async Task<IReadOnlyList<byte[]>> MailboxAsync(string address, CollectionRole role)
        => (await MailboxItemsAsync(address, role)).Select(i => i.Bytes).ToList();

    private async Task<IReadOnlyList<(Item Item, byte[] Bytes)>> MailboxItemsAsync(string address, CollectionRole role)
    {
        await using var opened = await OpenStoreAsync();
        var account = (await opened.Directory.GetAccountAsync(address, CancellationToken.None))!;
        var inbox = (await opened.Store.ListCollectionsAsync(account.Id, CancellationToken.None)).Single(c => c.Role == role);
        var contents = new List<(Item, byte[])>();
        foreach (var item in await opened.Store.ListItemsAsync(inbox.Id, new ImapUid(0), int.MaxValue, CancellationToken.None))
        {
            await using var content = await ItemContent.OpenAsync(item, opened.Blobs, CancellationToken.None);
            var bytes = new MemoryStream();
            await content.CopyToAsync(bytes);
            contents.Add((item, bytes.ToArray()));
        }
        return contents;
    }

    /// <summary>Every item of every collection of every account.</summary>
    public async Task<IReadOnlyList<Item>> AllItemsAsync()
    {
        await using var opened = await OpenStoreAsync();
        var items = new List<Item>();
        foreach (var account in await opened.Directory.ListAccountsAsync(null, CancellationToken.None))
            foreach (var collection in await opened.Store.ListCollectionsAsync(account.Id, CancellationToken.None))
                items.AddRange(await opened.Store.ListItemsAsync(collection.Id, new ImapUid(0), int.MaxValue, CancellationToken.None));
        return items;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is { HasExited: false } server)
            await server.StopAsync(TimeSpan.FromSeconds(15));
        _server?.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    /// <summary>Runs a CLI verb on this data directory (beside the running server) and returns what it printed.</summary>
    public async Task<string> CliAsync(string? stdin, params string[] args)
    {
        var result = await ServerProcess.RunAsync(_data, stdin, args);
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        return result.Stdout;
    }

    private async Task WaitForGreetingAsync(int port, bool implicitTls)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            Assert.That(_server!.HasExited, Is.False, _server.Stderr);
            try
            {
                await using var client = await RawLineClient.ConnectAsync(port, implicitTls);
                if (await client.ReadLineAsync() is { } greeting && greeting.StartsWith("220 ", StringComparison.Ordinal))
                    return;
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
            }
            await Task.Delay(100);
        }
        Assert.Fail("the SMTP listener did not answer: " + _server!.Stderr);
    }
}
