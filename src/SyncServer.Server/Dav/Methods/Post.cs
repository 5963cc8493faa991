using System.Text;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.CalDav;
using SyncServer.Protocols.Dav;
using SyncServer.Server.Dav.Nodes;

namespace SyncServer.Server.Dav.Methods;

/// <summary>
/// POST of a sharing request to a calendar or address book (<see cref="Share"/>), or of a free-busy request to the user's schedule outbox (RFC 6638 appendix B, as Apple Calendar and Thunderbird use it
/// for attendee availability): the ORGANIZER must be the user; each ATTENDEE who is a local calendar user gets a VFREEBUSY
/// of their opaque calendars (schedule-calendar-transp), anyone else request-status 3.7. Only busy periods are told, never
/// what the events are.
/// </summary>
public static class Post
{
    public static async Task HandleAsync(DavContext context)
    {
        var node = await context.ResolveRequestAsync();
        if (node is CalendarNode or AddressBookNode)
        {
            await Share.HandleAsync(context, (IStoreCollectionNode)node);
            return;
        }
        if (node is not ScheduleOutboxNode)
        {
            await context.StatusAsync(node is null ? StatusCodes.Status404NotFound : StatusCodes.Status405MethodNotAllowed);
            return;
        }
        var body = await context.ReadBodyAsync(context.Options.MaxResourceSize);
        if (body is null)
        {
            await context.StatusAsync(StatusCodes.Status413PayloadTooLarge);
            return;
        }
        var request = FreeBusyRequest.TryParse(Encoding.UTF8.GetString(body));
        if (request is null)
        {
            await context.ErrorAsync(StatusCodes.Status400BadRequest, DavNames.ValidSchedulingMessage);
            return;
        }
        if (!string.Equals(request.Organizer, context.Account.Address, StringComparison.OrdinalIgnoreCase))
        {
            await context.ErrorAsync(StatusCodes.Status403Forbidden, DavNames.OrganizerAllowed);
            return;
        }
        var directory = context.Http.RequestServices.GetRequiredService<IDirectoryStore>();
        var responses = new List<(string, string, string?)>();
        foreach (var attendee in request.Attendees)
        {
            if (await directory.GetAccountAsync(attendee, context.Aborted) is not { Enabled: true } account)
            {
                responses.Add(("mailto:" + attendee, "3.7;Invalid calendar user", null));
                continue;
            }
            var objects = await BusyObjectsAsync(context, account);
            responses.Add(("mailto:" + attendee, "2.0;Success", CalendarData.FreeBusy(objects, request.Range, context.Time.GetUtcNow(), request, attendee)));
        }
        await context.XmlAsync(StatusCodes.Status200OK, MultistatusWriter.WriteScheduleResponse(responses));
    }

    /// <summary>The objects of the account's calendars that count for free-busy (not marked transparent).</summary>
    private static async Task<List<CalendarObject>> BusyObjectsAsync(DavContext context, Account account)
    {
        var objects = new List<CalendarObject>();
        foreach (var collection in await context.Store.ListCollectionsAsync(account.Id, context.Aborted))
        {
            if (collection.Kind != CollectionKind.Calendar)
                continue;
            var calendar = (CalendarNode)new CalendarHomeNode(account).Node(collection, CollectionAccess.Own(account), collection.Name);
            var stored = await calendar.StoredPropertiesAsync(context);
            if (stored.TryGetValue(DavNames.ScheduleCalendarTransp, out var transp) && transp.Element(DavNames.Transparent) is not null)
                continue;
            objects.AddRange((await CalendarObjects.LoadAsync(context, calendar)).Select(o => o.Object));
        }
        return objects;
    }
}
