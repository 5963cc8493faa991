using System.Xml.Linq;
using SyncServer.Protocols.Dav;
using SyncServer.Server.Dav.Nodes;

namespace SyncServer.Server.Dav;

/// <summary>
/// The user's privileges on a node (RFC 3744 §5.4 current-user-privilege-set, which DAVx5, Thunderbird and Apple read to show a
/// collection read-only — client-requirements DAV-Q-17), and the 403 need-privileges answer (§7.1.1) when a write lacks one.
/// </summary>
public static class Privileges
{
    private static readonly XName[] Owner =
    [
        DavNames.PrivilegeRead, DavNames.PrivilegeWrite, DavNames.PrivilegeWriteProperties, DavNames.PrivilegeWriteContent,
        DavNames.PrivilegeBind, DavNames.PrivilegeUnbind, DavNames.PrivilegeReadCurrentUserPrivilegeSet,
    ];

    private static readonly XName[] ReadWrite =
    [
        DavNames.PrivilegeRead, DavNames.PrivilegeWriteContent, DavNames.PrivilegeBind, DavNames.PrivilegeUnbind,
        DavNames.PrivilegeReadCurrentUserPrivilegeSet,
    ];

    private static readonly XName[] ReadOnly = [DavNames.PrivilegeRead, DavNames.PrivilegeReadCurrentUserPrivilegeSet];

    public static IReadOnlyList<XName> Of(DavContext context, DavNode node) => node switch
    {
        IStoreCollectionNode collection => Of(collection.Access),
        IItemNode member => Of(member.Parent.Access),
        DirectoryNode or DirectoryEntryNode => ReadOnly,
        PrincipalNode principal when principal.Account.Id != context.Account.Id => ReadOnly,
        _ => Owner,
    };

    private static XName[] Of(CollectionAccess access) => !access.IsShared ? Owner : access.CanWriteContent ? ReadWrite : ReadOnly;

    /// <summary>Answers 403 with <c>DAV:need-privileges</c> naming the resource and the privilege it lacks.</summary>
    public static Task DenyAsync(DavContext context, DavNode resource, XName privilege)
        => context.XmlAsync(StatusCodes.Status403Forbidden, MultistatusWriter.WriteError(new XElement(DavNames.NeedPrivileges,
            new XElement(DavNames.Resource, new XElement(DavNames.Href, resource.Href), new XElement(DavNames.Privilege, new XElement(privilege))))));
}
