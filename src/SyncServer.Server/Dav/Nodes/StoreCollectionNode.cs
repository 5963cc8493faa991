using System.Xml.Linq;
using SyncServer.Core.Model;

namespace SyncServer.Server.Dav.Nodes;

/// <summary>What calendars, address books and plain collections share: the store collection, who sees it, its stored properties and its members.</summary>
public abstract class StoreCollectionNode(string href, Collection collection, CollectionAccess access) : DavNode(href), IStoreCollectionNode
{
    private IReadOnlyDictionary<XName, XElement>? _stored;

    public Collection Collection { get; } = collection;

    public CollectionAccess Access { get; } = access;

    public async Task<IReadOnlyDictionary<XName, XElement>> StoredPropertiesAsync(DavContext context)
    {
        if (_stored is not null)
            return _stored;
        var stored = await context.Store.GetCollectionPropertiesAsync(Collection.Id, context.Aborted);
        return _stored = DavProperties.Parse(stored.Select(p => (p.Namespace, p.Name, p.Xml)));
    }

    public Task SetPropertyAsync(Core.Store.IStoreTransaction transaction, XName name, string? xml, CancellationToken cancellationToken)
        => transaction.SetCollectionPropertyAsync(Collection.Id, name.NamespaceName, name.LocalName, xml, cancellationToken);

    public override async Task<IReadOnlyList<DavNode>> ChildrenAsync(DavContext context)
    {
        var items = await context.Store.ListItemsAsync(Collection.Id, new ImapUid(0), context.Options.MaxResults, context.Aborted);
        return items.Select(Member).ToList();
    }

    public override async Task<DavNode?> MemberAsync(DavContext context, string name)
        => await context.Store.GetItemByResourceNameAsync(Collection.Id, name, context.Aborted) is { } item ? Member(item) : null;

    /// <summary>One store read for all the names (a multiget), rather than one per member.</summary>
    public override async Task<IReadOnlyDictionary<string, DavNode>> MembersAsync(DavContext context, IReadOnlyCollection<string> names)
        => (await context.Store.GetItemsByResourceNamesAsync(Collection.Id, names, context.Aborted))
            .ToDictionary(item => item.ResourceName, Member, StringComparer.Ordinal);

    public abstract DavNode Member(Item item);
}
