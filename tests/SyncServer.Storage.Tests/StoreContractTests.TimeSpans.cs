using SyncServer.Core.Model;

namespace SyncServer.Storage.Tests;

public abstract partial class StoreContractTests
{
    [Test]
    public async Task ListItemsInTimeSpan_GivesTheItemsWhoseSpanMeetsTheRange_BoundsInclusive_OpenEndsAndUnindexedAlways()
    {
        var account = await CreateUserAsync("spans@example.com");
        var calendar = await CollectionAsync(account, CollectionRole.DefaultCalendar);
        var (blob, size) = await WriteBlobAsync("BEGIN:VCALENDAR");
        DateTimeOffset Day(int month, int day) => new(2026, month, day, 0, 0, 0, TimeSpan.Zero);
        Item january, open, unknown, march, file;
        Collection other;
        await using (var tx = await Store.BeginAsync(account, None))
        {
            january = await tx.AddItemAsync(calendar.Id, new NewItem(blob, size, Day(1, 1), "jan.ics", Calendar: new CalendarIndex("jan", "VEVENT", Day(1, 10), Day(1, 11), false)), None);
            open = await tx.AddItemAsync(calendar.Id, new NewItem(blob, size, Day(1, 1), "open.ics", Calendar: new CalendarIndex("open", "VEVENT", Day(2, 1), null, true)), None);
            unknown = await tx.AddItemAsync(calendar.Id, new NewItem(blob, size, Day(1, 1), "todo.ics", Calendar: new CalendarIndex("todo", "VTODO", null, null, false)), None);
            march = await tx.AddItemAsync(calendar.Id, new NewItem(blob, size, Day(1, 1), "mar.ics", Calendar: new CalendarIndex("mar", "VEVENT", Day(3, 1), Day(3, 5), false)), None);
            file = await tx.AddItemAsync(calendar.Id, new NewItem(blob, size, Day(1, 1), "plain.txt"), None);
            other = await tx.CreateCollectionAsync(new NewCollection("work", CollectionKind.Calendar), None);
            await tx.AddItemAsync(other.Id, new NewItem(blob, size, Day(1, 1), "jan.ics", Calendar: new CalendarIndex("jan", "VEVENT", Day(1, 10), Day(1, 11), false)), None);
            await tx.CommitAsync(None);
        }

        async Task<IEnumerable<Item>> Listed(DateTimeOffset? from, DateTimeOffset? to, int limit = 100)
            => await Store.ListItemsInTimeSpanAsync(calendar.Id, from, to, limit, None);
        Assert.That((await Listed(Day(2, 15), Day(2, 20))).Select(i => i.Id), Is.EqualTo(new[] { open.Id, unknown.Id, file.Id }));
        Assert.That((await Listed(Day(1, 11), Day(1, 11))).Select(i => i.Id), Is.EqualTo(new[] { january.Id, unknown.Id, file.Id }), "an end at the range's start meets it");
        Assert.That((await Listed(Day(1, 1), Day(1, 10))).Select(i => i.Id), Is.EqualTo(new[] { january.Id, unknown.Id, file.Id }), "a start at the range's end meets it");
        Assert.That((await Listed(null, Day(1, 5))).Select(i => i.Id), Is.EqualTo(new[] { unknown.Id, file.Id }));
        Assert.That((await Listed(Day(3, 5), null)).Select(i => i.Id), Is.EqualTo(new[] { open.Id, unknown.Id, march.Id, file.Id }));
        Assert.That((await Listed(null, null)).Select(i => i.Id), Is.EqualTo(new[] { january.Id, open.Id, unknown.Id, march.Id, file.Id }));
        Assert.That((await Listed(null, null, limit: 2)).Select(i => i.Id), Is.EqualTo(new[] { january.Id, open.Id }));
        Assert.That((await Listed(Day(3, 2), Day(3, 3))).Single(i => i.Id == march.Id).Calendar, Is.EqualTo(march.Calendar), "items come whole");
    }

    [Test]
    public async Task GetItemsByResourceNames_ReadsTheNamedItemsOfTheCollectionOnly_InUidOrder()
    {
        var account = await CreateUserAsync("names@example.com");
        var calendar = await CollectionAsync(account, CollectionRole.DefaultCalendar);
        var (blob, size) = await WriteBlobAsync("BEGIN:VCALENDAR");
        var start = Time.GetUtcNow();
        Item first, second;
        await using (var tx = await Store.BeginAsync(account, None))
        {
            first = await tx.AddItemAsync(calendar.Id, new NewItem(blob, size, start, "a.ics", Calendar: new CalendarIndex("a", "VEVENT", start, start, false)), None);
            await tx.AddItemAsync(calendar.Id, new NewItem(blob, size, start, "b.ics", Calendar: new CalendarIndex("b", "VEVENT", start, start, false)), None);
            second = await tx.AddItemAsync(calendar.Id, new NewItem(blob, size, start, "c d.ics", Calendar: new CalendarIndex("c", "VEVENT", start, start, false)), None);
            var other = await tx.CreateCollectionAsync(new NewCollection("work", CollectionKind.Calendar), None);
            await tx.AddItemAsync(other.Id, new NewItem(blob, size, start, "x.ics", Calendar: new CalendarIndex("x", "VEVENT", start, start, false)), None);
            await tx.CommitAsync(None);
        }

        var read = await Store.GetItemsByResourceNamesAsync(calendar.Id, ["c d.ics", "missing.ics", "a.ics", "x.ics", "a.ics"], None);

        Assert.That(read.Select(i => i.Id), Is.EqualTo(new[] { first.Id, second.Id }));
        Assert.That(Json(read[0]), Is.EqualTo(Json((await Store.GetItemAsync(first.Id, None))!)));
        Assert.That(await Store.GetItemsByResourceNamesAsync(calendar.Id, [], None), Is.Empty);
        var many = Enumerable.Range(0, 1_200).Select(i => $"n{i}.ics").Append("a.ics").ToList();
        Assert.That((await Store.GetItemsByResourceNamesAsync(calendar.Id, many, None)).Single().Id, Is.EqualTo(first.Id), "more names than one query takes");
    }
}
