using SyncServer.Protocols.Dav;

namespace SyncServer.Server.Dav.Methods;

/// <summary>MKCALENDAR (RFC 4791 §5.3.1): a calendar (or a VTODO-only task list) in the calendar home, with its initial properties.</summary>
public static class MkCalendar
{
    public static Task HandleAsync(DavContext context)
        => CollectionCreation.CreateAsync(context, DavNames.MkCalendar, r => CollectionCreation.CalendarKind(r));
}
