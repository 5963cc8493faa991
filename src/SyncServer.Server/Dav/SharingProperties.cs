using System.Xml.Linq;
using SyncServer.Core.Directory;
using SyncServer.Core.Model;
using SyncServer.Protocols.Dav;
using SyncServer.Server.Dav.Nodes;

namespace SyncServer.Server.Dav;

/// <summary>
/// What the CalendarServer sharing extension (caldav-sharing) shows of a share — made with <c>syncserver share</c> or a sharing
/// POST (<see cref="Methods.Share"/>): the resourcetype marks (<c>CS:shared-owner</c> on the sharer's collection, <c>CS:shared</c>
/// on the sharee's), <c>CS:invite</c> (the organizer and the sharees with their access; a sharee sees only themselves),
/// <c>CS:shared-url</c> (the sharer's URL of a sharee's collection) and <c>CS:allowed-sharing-modes</c> (the owner may share it);
/// and of draft-pot-webdav-resource-sharing, <c>DAV:share-access</c>.
/// </summary>
public static class SharingProperties
{
    public static async Task<XName?> SharedTypeAsync(DavContext context, IStoreCollectionNode node)
    {
        if (node.Access.IsShared)
            return DavNames.Shared;
        return (await context.ShareesAsync(node.Collection)).Count > 0 ? DavNames.SharedOwner : null;
    }

    public static async Task<object?> InviteAsync(DavContext context, IStoreCollectionNode node)
    {
        var sharees = node.Access.IsShared
            ? [new Sharee(context.Account, node.Access.SharedRights!.Value)]
            : await context.ShareesAsync(node.Collection);
        if (sharees.Count == 0)
            return null;
        var owner = node.Access.Owner;
        var invite = new List<XElement>
        {
            new(DavNames.InviteOrganizer, new XElement(DavNames.Href, DavPaths.Principal(owner.Address)), CommonName(owner)),
        };
        invite.AddRange(sharees.Select(s => new XElement(DavNames.InviteUser,
            new XElement(DavNames.Href, "mailto:" + s.Account.Address), CommonName(s.Account), new XElement(DavNames.InviteAccepted),
            new XElement(DavNames.Access, new XElement(s.Rights.HasFlag(GrantRights.Write) ? DavNames.AccessReadWrite : DavNames.AccessRead)))));
        return invite;
    }

    /// <summary>caldav-sharing §5.2.1: the owner's collections can be shared (not published); a sharee cannot share it further.</summary>
    public static object? AllowedSharingModes(IStoreCollectionNode node) => node.Access.IsShared ? null : new XElement(DavNames.CanBeShared);

    /// <summary>draft-pot-webdav-resource-sharing §4.4.1: shared-owner, not-shared, or the sharee's read / read-write.</summary>
    public static async Task<object?> ShareAccessAsync(DavContext context, IStoreCollectionNode node)
        => new XElement(node.Access.IsShared ? node.Access.CanWriteContent ? DavNames.ShareReadWrite : DavNames.ShareRead
            : (await context.ShareesAsync(node.Collection)).Count > 0 ? DavNames.ShareSharedOwner : DavNames.ShareNotShared);

    /// <summary>The sharer's URL of a collection seen by a sharee, or null for the owner's own.</summary>
    public static string? SharedUrl(IStoreCollectionNode node)
    {
        if (!node.Access.IsShared)
            return null;
        var home = node.Collection.Kind == CollectionKind.AddressBook
            ? DavPaths.AddressBookHome(node.Access.Owner.Address)
            : DavPaths.CalendarHome(node.Access.Owner.Address);
        return $"{home}{DavPaths.Segment(node.Collection.Name)}/";
    }

    private static XElement? CommonName(Account account)
        => account.DisplayName is { Length: > 0 } name ? new XElement(DavNames.CommonName, name) : null;
}
