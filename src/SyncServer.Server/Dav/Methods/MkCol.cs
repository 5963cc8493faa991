using SyncServer.Core.Model;
using SyncServer.Protocols.Dav;

namespace SyncServer.Server.Dav.Methods;

/// <summary>
/// Extended MKCOL (RFC 5689): the resourcetype in the body says calendar or address book. A plain collection is refused:
/// the tree has no place for one.
/// </summary>
public static class MkCol
{
    public static Task HandleAsync(DavContext context)
        => CollectionCreation.CreateAsync(context, DavNames.MkCol, request =>
        {
            var type = request.Properties.FirstOrDefault(p => p.Name == DavNames.ResourceType);
            if (type?.Element(DavNames.Calendar) is not null)
                return CollectionCreation.CalendarKind(request);
            if (type?.Element(DavNames.AddressBook) is not null)
                return CollectionKind.AddressBook;
            return null;
        });
}
