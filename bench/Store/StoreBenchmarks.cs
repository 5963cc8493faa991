using System.Diagnostics;
using System.Text;
using SyncServer.Core.Model;
using SyncServer.Storage;

namespace SyncServer.Bench.Store;

/// <summary>Each method measures one figure on a fresh account and returns it.</summary>
public sealed class StoreBenchmarks(OpenedStore store, int items)
{
    private int _accounts;

    /// <summary>One transaction per item (as a delivery is), one account.</summary>
    public async Task<double> InsertOneAccountAsync()
    {
        var (inbox, blob) = await NewAccountAsync();
        var watch = Stopwatch.StartNew();
        await InsertAsync(inbox, blob, items);
        return items / watch.Elapsed.TotalSeconds;
    }

    /// <summary>Eight accounts written at once: writers of different accounts do not serialise on each other's counters.</summary>
    public async Task<double> InsertEightAccountsAsync()
    {
        var targets = new List<(Collection Inbox, (BlobId Id, long Size) Blob)>();
        for (var i = 0; i < 8; i++)
            targets.Add(await NewAccountAsync());
        var perAccount = items / 8;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(targets.Select(t => Task.Run(() => InsertAsync(t.Inbox, t.Blob, perAccount))));
        return perAccount * 8 / watch.Elapsed.TotalSeconds;
    }

    /// <summary>Mean latency of GetChangesAsync on a big collection where only the last 10 items changed.</summary>
    public async Task<double> GetChangesLatencyAsync(int collectionSize)
    {
        var (inbox, blob) = await NewAccountAsync();
        const int batch = 1000;
        for (var done = 0; done < collectionSize; done += batch)
        {
            await using var tx = await store.Store.BeginAsync(inbox.AccountId, CancellationToken.None);
            for (var i = 0; i < batch; i++)
                await tx.AddItemAsync(inbox.Id, Message(blob), CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
        }

        var before = (await store.Store.GetCollectionAsync(inbox.Id, CancellationToken.None))!.HighestModSeq;
        var recent = await store.Store.ListItemsAsync(inbox.Id, new ImapUid(0), 10, CancellationToken.None);
        await using (var tx = await store.Store.BeginAsync(inbox.AccountId, CancellationToken.None))
        {
            foreach (var item in recent)
                await tx.UpdateItemAsync(item.Id, new ItemUpdate(Mail: item.Mail! with { Flags = MailFlags.Seen }), CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
        }

        const int calls = 200;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            var changes = await store.Store.GetChangesAsync(inbox.Id, before, 100, CancellationToken.None);
            if (changes.Changes.Count != 10)
                throw new InvalidOperationException($"expected 10 changes, got {changes.Changes.Count}");
        }
        return watch.Elapsed.TotalMilliseconds / calls;
    }

    /// <summary>Distinct 4 KiB blobs, each fsync'd with its directory before the call returns.</summary>
    public async Task<double> BlobWritesAsync(int count)
    {
        var payload = new byte[4096];
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            BitConverter.TryWriteBytes(payload, i);
            BitConverter.TryWriteBytes(payload.AsSpan(8), Environment.TickCount64);
            await store.Blobs.WriteAsync(new MemoryStream(payload), CancellationToken.None);
        }
        return count / watch.Elapsed.TotalSeconds;
    }

    private async Task InsertAsync(Collection inbox, (BlobId Id, long Size) blob, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await using var tx = await store.Store.BeginAsync(inbox.AccountId, CancellationToken.None);
            await tx.AddItemAsync(inbox.Id, Message(blob), CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
        }
    }

    private static NewItem Message((BlobId Id, long Size) blob) =>
        new(blob.Id, blob.Size, DateTimeOffset.UtcNow, Mail: new MailIndex(MailFlags.None, [], Subject: "bench"));

    private async Task<(Collection Inbox, (BlobId Id, long Size) Blob)> NewAccountAsync()
    {
        var n = Interlocked.Increment(ref _accounts);
        var domain = $"bench{Environment.ProcessId}-{n}.test";
        await store.Directory.AddDomainAsync(domain, CancellationToken.None);
        var account = await store.Directory.CreateAccountAsync($"user@{domain}", "Bench", "-", null, AccountKind.User, CancellationToken.None);
        var collections = await store.Store.ListCollectionsAsync(account.Id, CancellationToken.None);
        var blob = await store.Blobs.WriteAsync(new MemoryStream(Encoding.ASCII.GetBytes($"Subject: bench {n}\r\n\r\nbody\r\n")), CancellationToken.None);
        return (collections.Single(c => c.Role == CollectionRole.Inbox), blob);
    }
}
