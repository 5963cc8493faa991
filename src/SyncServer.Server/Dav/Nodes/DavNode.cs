using SyncServer.Core.Model;

namespace SyncServer.Server.Dav.Nodes;

/// <summary>A resource of the DAV tree (DESIGN.md §3). Properties are registered per node type in <see cref="DavProperties"/>.</summary>
public abstract class DavNode(string href)
{
    /// <summary>The escaped absolute path; a collection's ends with a slash.</summary>
    public string Href { get; } = href;

    public virtual bool IsCollection => true;

    public virtual Task<IReadOnlyList<DavNode>> ChildrenAsync(DavContext context) => Task.FromResult<IReadOnlyList<DavNode>>([]);

    /// <summary>The member named <paramref name="name"/> (a decoded path segment), or null.</summary>
    public virtual Task<DavNode?> MemberAsync(DavContext context, string name) => Task.FromResult<DavNode?>(null);

    /// <summary>The members with these names (decoded path segments) by name; absent ones are left out.</summary>
    public virtual async Task<IReadOnlyDictionary<string, DavNode>> MembersAsync(DavContext context, IReadOnlyCollection<string> names)
    {
        var members = new Dictionary<string, DavNode>(StringComparer.Ordinal);
        foreach (var name in names.Distinct())
        {
            if (await MemberAsync(context, name) is { } member)
                members[name] = member;
        }
        return members;
    }
}

/// <summary>A node whose client-set properties (PROPPATCH: writable live ones and dead ones) are kept in the store.</summary>
public interface IPropertyStoreNode
{
    /// <summary>The client-set properties, loaded once per request.</summary>
    Task<IReadOnlyDictionary<System.Xml.Linq.XName, System.Xml.Linq.XElement>> StoredPropertiesAsync(DavContext context);

    /// <summary>Sets (or, with a null <paramref name="xml"/>, removes) one stored property in <paramref name="transaction"/>.</summary>
    Task SetPropertyAsync(Core.Store.IStoreTransaction transaction, System.Xml.Linq.XName name, string? xml, CancellationToken cancellationToken);
}

/// <summary>A node backed by a store collection (a calendar, an address book, a plain collection): sync-collection and collection properties apply.</summary>
public interface IStoreCollectionNode : IPropertyStoreNode
{
    Collection Collection { get; }

    /// <summary>Whose collection it is and what the user may do with it (the owner, or a grantee of a share).</summary>
    CollectionAccess Access { get; }

    /// <summary>A member node for a stored item of this collection.</summary>
    DavNode Member(Item item);
}

/// <summary>A calendar collection: calendar-query, calendar-multiget and free-busy-query apply.</summary>
public interface ICalendarCollectionNode : IStoreCollectionNode;

/// <summary>An address book (RFC 6352 §5.2), stored or generated: addressbook-query and addressbook-multiget apply; its members are <see cref="IAddressObjectNode"/>s.</summary>
public interface IAddressBookNode;

/// <summary>An address book collection of the store.</summary>
public interface IAddressBookCollectionNode : IStoreCollectionNode, IAddressBookNode;

/// <summary>An address object resource (RFC 6352 §5.1): a vCard, stored or generated.</summary>
public interface IAddressObjectNode
{
    Task<string> VCardTextAsync(DavContext context);
}

/// <summary>A member resource stored as an item (a calendar object, a vCard, a plain resource).</summary>
public interface IItemNode
{
    Item Item { get; }

    Task<string> ContentTypeAsync(DavContext context);

    /// <summary>The collection it is a member of (its access applies to the member).</summary>
    IStoreCollectionNode Parent { get; }
}

/// <summary>A home: the collections of one kind of the user, and where new ones are created.</summary>
public interface IHomeNode
{
    Account Account { get; }

    /// <summary>Whether a MKCOL/MKCALENDAR may create a collection of this resource type here.</summary>
    bool Accepts(CollectionKind kind);

    /// <summary>The node of a collection seen in this home under <paramref name="segment"/> (its name, or a share's name).</summary>
    StoreCollectionNode Node(Collection collection, CollectionAccess access, string segment);
}
