using System.Xml.Linq;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.Dav;

namespace SyncServer.Server.Dav.Nodes;

/// <summary>
/// A plain WebDAV collection (RFC 4918 §5.2) under <c>/dav/files/{user}/</c>: a store collection of kind
/// <see cref="CollectionKind.Files"/>. The files home itself is the account's one top-level Files collection, named
/// <see cref="RootName"/> (a name no IMAP mailbox or DAV collection can take, so it never collides); the collections under it
/// nest through their parent. Its members are plain collections and plain resources, which share one namespace.
/// </summary>
public sealed class FolderNode(string href, Collection collection, CollectionAccess access) : StoreCollectionNode(href, collection, access)
{
    /// <summary>The stored name of the files home's collection: contains a slash, which no path segment can.</summary>
    public const string RootName = "/files";

    public Account Account => Access.Owner;

    /// <summary>The files home (<c>/dav/files/{user}/</c>): it cannot be deleted, moved or copied.</summary>
    public bool IsHome => Collection.ParentId is null;

    public FolderNode Child(Collection child) => new(Href + DavPaths.Segment(child.Name) + "/", child, Access);

    public override DavNode Member(Item item) => new FileNode(this, item);

    public async Task<IReadOnlyList<FolderNode>> FoldersAsync(DavContext context)
        => (await context.Store.ListCollectionsAsync(Account.Id, context.Aborted))
            .Where(c => c.ParentId == Collection.Id && c.Kind == CollectionKind.Files).Select(Child).ToList();

    public override async Task<IReadOnlyList<DavNode>> ChildrenAsync(DavContext context)
        => [.. await FoldersAsync(context), .. await base.ChildrenAsync(context)];

    /// <summary>The plain collection named <paramref name="name"/>, else the plain resource; collections and resources share one namespace.</summary>
    public override async Task<DavNode?> MemberAsync(DavContext context, string name)
        => (await FoldersAsync(context)).FirstOrDefault(f => f.Collection.Name == name) ?? await base.MemberAsync(context, name);
}

/// <summary>A plain resource (RFC 4918 §5.1): an item holding the exact bytes PUT; its content type and dead properties are item properties.</summary>
public sealed class FileNode(FolderNode folder, Item item) : DavNode(folder.Href + DavPaths.Segment(item.ResourceName)), IItemNode, IPropertyStoreNode
{
    private const string DefaultContentType = "application/octet-stream";

    private IReadOnlyDictionary<XName, XElement>? _stored;

    public FolderNode Folder { get; } = folder;

    public IStoreCollectionNode Parent => Folder;

    public Item Item { get; } = item;

    public override bool IsCollection => false;

    public async Task<string> ContentTypeAsync(DavContext context)
        => (await StoredPropertiesAsync(context)).TryGetValue(DavNames.GetContentType, out var type) ? type.Value : DefaultContentType;

    public async Task<IReadOnlyDictionary<XName, XElement>> StoredPropertiesAsync(DavContext context)
        => _stored ??= DavProperties.Parse((await context.Store.GetItemPropertiesAsync(Item.Id, context.Aborted)).Select(p => (p.Namespace, p.Name, p.Xml)));

    public Task SetPropertyAsync(IStoreTransaction transaction, XName name, string? xml, CancellationToken cancellationToken)
        => SetAsync(transaction, Item.Id, name, xml, cancellationToken);

    /// <summary>Stores the Content-Type a PUT gave as the resource's <c>DAV:getcontenttype</c> (none: the default applies).</summary>
    public static Task SetContentTypeAsync(IStoreTransaction transaction, ItemId item, string? contentType, CancellationToken cancellationToken)
        => SetAsync(transaction, item, DavNames.GetContentType,
            string.IsNullOrWhiteSpace(contentType) ? null : new XElement(DavNames.GetContentType, contentType.Trim()).ToString(SaveOptions.DisableFormatting), cancellationToken);

    private static Task SetAsync(IStoreTransaction transaction, ItemId item, XName name, string? xml, CancellationToken cancellationToken)
        => transaction.SetItemPropertyAsync(item, name.NamespaceName, name.LocalName, xml, cancellationToken);
}
