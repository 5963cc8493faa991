using SyncServer.Core.Model;
using SyncServer.Protocols.Dav;

namespace SyncServer.Server.Dav.Methods;

/// <summary>
/// MKCOL (RFC 4918 §9.3) and extended MKCOL (RFC 5689): the resourcetype in the body says calendar or address book (made
/// in the matching home); none, or only <c>DAV:collection</c>, makes a plain collection, which only the files tree holds.
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
            return type is null || type.Elements().All(e => e.Name == DavNames.Collection) ? CollectionKind.Files : null;
        });
}
