using System.Net.Http.Headers;
using System.Xml.Linq;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.Dav;
using SyncServer.Server.Dav.Nodes;

namespace SyncServer.Server.Dav.Methods;

/// <summary>What MKCALENDAR and extended MKCOL share: where a collection may be made, its kind, and its initial properties.</summary>
public static class CollectionCreation
{
    private const int MaxNameLength = 200;

    /// <summary>
    /// Creates the collection named by the request path in a home, or a plain collection in a plain collection;
    /// <paramref name="kindOf"/> reads the kind from the body's properties (null = refused). A body that is not XML is 415 (RFC 4918 §9.3).
    /// </summary>
    public static async Task CreateAsync(DavContext context, XName bodyRoot, Func<MkColRequest, CollectionKind?> kindOf)
    {
        if (context.Request.ContentLength is not (null or 0) && !IsXml(context.Request.ContentType))
        {
            await context.StatusAsync(StatusCodes.Status415UnsupportedMediaType);
            return;
        }
        var (ok, document) = await context.ReadXmlAsync();
        if (!ok)
            return;
        var request = DavRequestParser.ParseMkCol(document, bodyRoot, out var error);
        if (request is null)
        {
            await context.BadRequestAsync(error);
            return;
        }
        if (await context.ResolveRequestAsync() is not null)
        {
            await context.StatusAsync(StatusCodes.Status405MethodNotAllowed);
            return;
        }
        var (parent, name) = await context.Tree.ResolveParentAsync(context, context.RequestPath);
        if (parent is not (IHomeNode or FolderNode))
        {
            await context.StatusAsync(parent is null ? StatusCodes.Status409Conflict : StatusCodes.Status403Forbidden);
            return;
        }
        var kind = kindOf(request);
        var accepted = parent is FolderNode ? kind == CollectionKind.Files : kind is { } asked && ((IHomeNode)parent).Accepts(asked);
        if (kind is not { } k || !accepted)
        {
            await context.ErrorAsync(StatusCodes.Status403Forbidden, kind == CollectionKind.AddressBook ? DavNames.AddressBook : DavNames.CalendarCollectionLocationOk);
            return;
        }
        if (name.Length == 0 || name.Length > MaxNameLength || name.Contains('/') || name.Any(char.IsControl)
            || parent is IHomeNode && name.Contains(DavPaths.ShareSeparator)) // a home's names of shares have it
        {
            await context.StatusAsync(StatusCodes.Status403Forbidden);
            return;
        }
        var properties = request.Properties.Where(p => p.Name != DavNames.ResourceType).ToList();
        await using var transaction = await context.Store.BeginAsync(context.Account.Id, context.Aborted);
        Collection collection;
        try
        {
            collection = await transaction.CreateCollectionAsync(new NewCollection(name, k, ParentId: (parent as FolderNode)?.Collection.Id), context.Aborted);
        }
        catch (StoreConflictException)
        {
            await context.StatusAsync(StatusCodes.Status405MethodNotAllowed); // a collection of another kind has that name
            return;
        }
        StoreCollectionNode node = parent is FolderNode folder
            ? folder.Child(collection)
            : ((IHomeNode)parent).Node(collection, CollectionAccess.Own(context.Account), collection.Name);
        var refused = properties.Where(p => p.Name != DavNames.SupportedCalendarComponentSet && !PropPatch.CanSet(node, p.Name)).ToList();
        if (refused.Count > 0)
        {
            var failed = new List<DavPropStat> { new(403, refused) };
            if (properties.Count > refused.Count)
                failed.Add(new DavPropStat(424, properties.Except(refused).ToList()));
            await context.XmlAsync(StatusCodes.Status403Forbidden, MultistatusWriter.WritePropStatOnly(
                bodyRoot == DavNames.MkCalendar ? DavNames.MkCalendarResponse : DavNames.MkColResponse, failed));
            return; // the transaction is disposed uncommitted: nothing was made
        }
        foreach (var property in properties)
        {
            await transaction.SetCollectionPropertyAsync(collection.Id, property.Name.NamespaceName, property.Name.LocalName,
                PropPatch.Serialize(property), context.Aborted);
        }
        await transaction.CommitAsync(context.Aborted);
        context.Response.Headers.Location = node.Href;
        context.Response.ContentLength = 0;
        await context.StatusAsync(StatusCodes.Status201Created);
    }

    private static bool IsXml(string? contentType)
        => contentType is null || MediaTypeHeaderValue.TryParse(contentType, out var type) && type.MediaType is { } media
            && (media.Equals("application/xml", StringComparison.OrdinalIgnoreCase) || media.Equals("text/xml", StringComparison.OrdinalIgnoreCase));

    /// <summary>A calendar that holds only VTODO is a task list; any other component set makes a calendar.</summary>
    public static CollectionKind CalendarKind(MkColRequest request)
    {
        var set = request.Properties.FirstOrDefault(p => p.Name == DavNames.SupportedCalendarComponentSet);
        var components = set?.Elements(DavNames.Comp).Select(c => (c.Attribute("name")?.Value ?? "").ToUpperInvariant()).ToList();
        return components is ["VTODO"] ? CollectionKind.Tasks : CollectionKind.Calendar;
    }
}
