using System.Text;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.CalDav;
using SyncServer.Protocols.Dav;

namespace SyncServer.Server.Scheduling;

/// <summary>A stored calendar object with its text parsed for scheduling.</summary>
public sealed record StoredObject(Item Item, ScheduledObject Object);

/// <summary>
/// Calendar objects of any account as scheduling reaches them (RFC 6638 §3.2): found by UID in the account's calendars, written
/// with their index, and iTIP messages filed in the account's schedule inbox (made on first use).
/// </summary>
public sealed class CalendarStore(IStore store, IBlobStore blobs, TimeProvider time)
{
    /// <summary>The store name of the schedule inbox; DAV shows it as <c>/dav/calendars/{user}/inbox/</c>.</summary>
    public const string InboxName = "schedule-inbox";

    /// <summary>The index a stored calendar object gets (UTC bounds for time-range prefiltering).</summary>
    public static CalendarIndex Index(CalendarObject calendarObject)
    {
        var (start, end) = calendarObject.Bounds();
        return new CalendarIndex(calendarObject.Uid, calendarObject.Component, start, end, calendarObject.IsRecurring);
    }

    public async Task<string> ReadAsync(Item item, CancellationToken cancellationToken)
    {
        await using var stream = await ItemContent.OpenAsync(item, blobs, cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    /// <summary>The object with <paramref name="uid"/> in one of the account's calendars or task lists, or null.</summary>
    public async Task<StoredObject?> FindAsync(AccountId account, string uid, CancellationToken cancellationToken)
    {
        foreach (var collection in await store.ListCollectionsAsync(account, cancellationToken))
        {
            if (collection.Kind is not (CollectionKind.Calendar or CollectionKind.Tasks))
                continue;
            if (await store.FindItemByUidAsync(collection.Id, uid, cancellationToken) is { } item
                && ScheduledObject.TryParse(await ReadAsync(item, cancellationToken)) is { } parsed)
                return new StoredObject(item, parsed);
        }
        return null;
    }

    /// <summary>
    /// Under the account's write lock (so two replies to one event cannot lose each other): finds the object with
    /// <paramref name="uid"/> and writes what <paramref name="change"/> makes of it. <paramref name="change"/> gets null when
    /// there is none, and its text then goes into the account's default calendar; it returns null to leave things as they are.
    /// False when nothing was written.
    /// </summary>
    public async Task<bool> ChangeAsync(AccountId account, string uid, Func<ScheduledObject?, string?> change, CancellationToken cancellationToken)
        => await ChangeItemAsync(account, uid, change, cancellationToken) is not null;

    /// <summary>As <see cref="ChangeAsync"/>, returning the item written (null when nothing was).</summary>
    public async Task<Item?> ChangeItemAsync(AccountId account, string uid, Func<ScheduledObject?, string?> change, CancellationToken cancellationToken)
    {
        await using var transaction = await store.BeginAsync(account, cancellationToken);
        var existing = await FindAsync(account, uid, cancellationToken);
        if (change(existing?.Object) is not { } text || CalendarObject.TryParse(text, out _) is not { } parsed)
            return null;
        var (blob, size) = await WriteBlobAsync(text, cancellationToken);
        Item written;
        if (existing is not null)
        {
            written = await transaction.UpdateItemAsync(existing.Item.Id, new ItemUpdate(blob, size, Calendar: Index(parsed)), cancellationToken);
        }
        else
        {
            var collections = await store.ListCollectionsAsync(account, cancellationToken);
            if (collections.FirstOrDefault(c => c.Role == CollectionRole.DefaultCalendar) is not { } calendar)
                return null;
            written = await transaction.AddItemAsync(calendar.Id, new NewItem(blob, size, time.GetUtcNow(), NewResourceName(), Calendar: Index(parsed)), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return written;
    }

    /// <summary>Removes the object with <paramref name="uid"/> from the account's calendars, under its write lock; false when there was none.</summary>
    public async Task<bool> RemoveAsync(AccountId account, string uid, CancellationToken cancellationToken)
    {
        await using var transaction = await store.BeginAsync(account, cancellationToken);
        if (await FindAsync(account, uid, cancellationToken) is not { } existing)
            return false;
        await transaction.DeleteItemAsync(existing.Item.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// The account's busy time within <paramref name="range"/> (free-busy as ActiveSync's ResolveRecipients asks it): the events of
    /// all its calendars whose index overlaps the range, through <see cref="CalendarData.BusyPeriods"/>.
    /// </summary>
    public async Task<List<BusyPeriod>> BusyAsync(AccountId account, TimeRange range, CancellationToken cancellationToken)
    {
        var objects = new List<CalendarObject>();
        foreach (var collection in await store.ListCollectionsAsync(account, cancellationToken))
        {
            if (collection.Kind != CollectionKind.Calendar)
                continue;
            for (var after = new ImapUid(0); ;)
            {
                var page = await store.ListItemsAsync(collection.Id, after, 500, cancellationToken);
                foreach (var item in page.Where(i => i.Calendar is { } index && CalendarObject.Overlaps(index.StartUtc ?? DateTimeOffset.MinValue,
                             index.EndUtc ?? DateTimeOffset.MaxValue, range.Start, range.End)))
                {
                    if (CalendarObject.TryParse(await ReadAsync(item, cancellationToken), out _) is { } parsed)
                        objects.Add(parsed);
                }
                if (page.Count < 500)
                    break;
                after = page[^1].ImapUid;
            }
        }
        return CalendarData.BusyPeriods(objects, range);
    }

    /// <summary>Files an iTIP message in the account's schedule inbox (RFC 6638 §2.2), unindexed: one UID may have many messages there.</summary>
    public async Task DeliverToInboxAsync(AccountId account, string message, CancellationToken cancellationToken)
    {
        var inbox = await InboxAsync(account, cancellationToken);
        var (blob, size) = await WriteBlobAsync(message, cancellationToken);
        await using var transaction = await store.BeginAsync(account, cancellationToken);
        await transaction.AddItemAsync(inbox.Id, new NewItem(blob, size, time.GetUtcNow(), NewResourceName()), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The account's schedule inbox, made when it has none yet.</summary>
    public async Task<Collection> InboxAsync(AccountId account, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var existing = (await store.ListCollectionsAsync(account, cancellationToken)).FirstOrDefault(c => c.Kind == CollectionKind.ScheduleInbox);
            if (existing is not null)
                return existing;
            try
            {
                await using var transaction = await store.BeginAsync(account, cancellationToken);
                var made = await transaction.CreateCollectionAsync(new NewCollection(InboxName, CollectionKind.ScheduleInbox), cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return made;
            }
            catch (StoreConflictException) when (attempt == 0)
            {
                // made by a concurrent request: list again
            }
        }
    }

    private Task<(BlobId Id, long Size)> WriteBlobAsync(string text, CancellationToken cancellationToken)
        => blobs.WriteAsync(new MemoryStream(Encoding.UTF8.GetBytes(text), writable: false), cancellationToken);

    private static string NewResourceName() => Guid.NewGuid().ToString("N") + ".ics";
}
