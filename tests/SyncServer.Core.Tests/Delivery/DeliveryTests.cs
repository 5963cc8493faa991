using System.Net;
using System.Text;
using SyncServer.Core.Delivery;
using SyncServer.Core.MailAuth;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Storage;

namespace SyncServer.Core.Tests.Delivery;

/// <summary>
/// Local delivery over a real SQLite store in a temporary data directory, fresh for each test. The domain
/// example.com is served; the other test files add the scenarios.
/// </summary>
public abstract class DeliveryTests
{
    protected const string Domain = "example.com";
    protected static readonly CancellationToken None = CancellationToken.None;

    protected static readonly DeliveryOrigin Mx = new(DeliveryChannel.Mx, IPAddress.Parse("192.0.2.7"), "mx.remote.example", null, IsTls: false);

    protected static readonly byte[] Message = Encoding.UTF8.GetBytes(
        "From: Sender <sender@remote.example>\r\nTo: alice@example.com\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n" +
        "Message-ID: <m1@remote.example>\r\nDate: Tue, 01 Jul 2025 10:00:00 +0000\r\n\r\nHello.\r\n");

    private string _dataDirectory = "";

    protected OpenedStore Opened { get; private set; } = null!;
    protected IDirectoryStore Dir => Opened.Directory;
    protected IStore Store => Opened.Store;
    protected DeliveryOptions Options { get; private set; } = null!;
    protected RecordingRelay? Relay { get; set; }
    protected ContentFilter? Filter { get; set; }
    protected IMessageSigner? Signer { get; set; }
    protected InboundAuthenticator? Authentication { get; set; }

    [SetUp]
    public async Task OpenStoreAsync()
    {
        _dataDirectory = Path.Combine(Path.GetTempPath(), "syncserver-delivery-" + Guid.NewGuid().ToString("N"));
        Opened = await StoreHost.OpenAsync(new StorageOptions { DataDirectory = _dataDirectory }, TimeProvider.System, None);
        Options = new DeliveryOptions { ServerName = "mail.example.com", TempDirectory = Path.Combine(_dataDirectory, "spool") };
        Relay = null; // NUnit reuses the fixture instance across its tests
        Filter = null;
        Signer = null;
        Authentication = null;
        await Dir.AddDomainAsync(Domain, None);
    }

    [TearDown]
    public async Task CloseStoreAsync()
    {
        await Opened.DisposeAsync();
        System.IO.Directory.Delete(_dataDirectory, recursive: true);
    }

    protected LocalDeliveryTarget Target => new(Store, Dir, Opened.Blobs, TimeProvider.System, Options, Relay, Filter, Signer, Authentication);

    protected static DeliveryOrigin Submission(string login) => new(DeliveryChannel.Submission, IPAddress.Loopback, "laptop", login, IsTls: true);

    protected async Task<Account> UserAsync(string address, long? quota = null, AccountKind kind = AccountKind.User)
        => await Dir.CreateAccountAsync(address, address, "hash", quota, kind, None);

    /// <summary>Begins, adds every recipient, writes the body in small chunks (as SMTP would) and commits.</summary>
    protected async Task<(IReadOnlyList<DeliveryStatus> AtRcpt, IReadOnlyList<RecipientStatus> AtCommit)> DeliverAsync(
        DeliveryOrigin origin, string? mailFrom, IEnumerable<string> recipients, byte[]? body = null)
    {
        await using var delivery = await Target.BeginAsync(origin, mailFrom, null, None);
        var atRcpt = new List<DeliveryStatus>();
        foreach (var recipient in recipients)
            atRcpt.Add(await delivery.AddRecipientAsync(recipient, null, None));
        foreach (var chunk in (body ?? Message).Chunk(7))
            await delivery.WriteBodyAsync(chunk, None);
        return (atRcpt, await delivery.CommitAsync(None));
    }

    protected Task<(IReadOnlyList<DeliveryStatus> AtRcpt, IReadOnlyList<RecipientStatus> AtCommit)> DeliverAsync(string recipient)
        => DeliverAsync(Mx, "sender@remote.example", [recipient]);

    protected async Task<IReadOnlyList<Item>> ItemsAsync(string address, CollectionRole role = CollectionRole.Inbox)
    {
        var account = (await Dir.GetAccountAsync(address, None))!;
        var collection = (await Store.ListCollectionsAsync(account.Id, None)).Single(c => c.Role == role);
        return await Store.ListItemsAsync(collection.Id, new ImapUid(0), int.MaxValue, None);
    }

    protected async Task<byte[]> ContentAsync(Item item)
    {
        await using var content = await ItemContent.OpenAsync(item, Opened.Blobs, None);
        var bytes = new MemoryStream();
        await content.CopyToAsync(bytes);
        return bytes.ToArray();
    }

    /// <summary>Blob files in the blob store (its temporary folder aside).</summary>
    protected IReadOnlyList<string> BlobFiles()
    {
        var root = Path.Combine(_dataDirectory, "blobs");
        return System.IO.Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(Path.Combine(root, "tmp"), StringComparison.Ordinal)).ToList();
    }

    protected IReadOnlyList<string> SpoolFiles()
        => System.IO.Directory.Exists(Options.TempDirectory) ? System.IO.Directory.GetFiles(Options.TempDirectory) : [];

    /// <summary>A relay queue that records what it is given.</summary>
    protected sealed class RecordingRelay : IRelayQueue
    {
        public List<RelayMessage> Messages { get; } = [];

        public Task<DeliveryStatus> EnqueueAsync(RelayMessage message, CancellationToken cancellationToken)
        {
            Messages.Add(message);
            return Task.FromResult(new DeliveryStatus(250, "2.0.0", "queued"));
        }

        public int FinishedDeliveries { get; private set; }

        public void DeliveryFinished() => FinishedDeliveries++;
    }
}
