using System.Xml.Linq;
using SyncServer.Protocols.Dav;
using SyncServer.Server.Dav.Nodes;

namespace SyncServer.Server.Dav.Methods;

/// <summary>
/// PROPPATCH (RFC 4918 §9.2) on a calendar or address book: the writable live properties and any dead property are stored;
/// a protected one fails the whole request (403 for it, 424 for the others) and nothing is stored.
/// </summary>
public static class PropPatch
{
    public static async Task HandleAsync(DavContext context)
    {
        var (ok, document) = await context.ReadXmlAsync();
        if (!ok)
            return;
        var request = document is null ? null : DavRequestParser.ParsePropPatch(document, out _);
        if (request is null)
        {
            await context.BadRequestAsync("PROPPATCH needs a propertyupdate body");
            return;
        }
        var node = await context.ResolveRequestAsync();
        if (node is null)
        {
            await context.StatusAsync(StatusCodes.Status404NotFound);
            return;
        }
        var refused = request.Operations.Where(o => !CanSet(node, o.Property.Name)).Select(o => o.Property.Name).ToHashSet();
        if (refused.Count == 0 && node is IStoreCollectionNode collection)
            await ApplyAsync(context, collection, request.Operations);
        var names = request.Operations.Select(o => o.Property.Name).Distinct().ToList();
        var propStats = refused.Count == 0
            ? [new DavPropStat(200, names.Select(n => new XElement(n)).ToList())]
            : new List<DavPropStat>
            {
                new(403, refused.Select(n => new XElement(n)).ToList()),
                new(424, names.Where(n => !refused.Contains(n)).Select(n => new XElement(n)).ToList()),
            }.Where(p => p.Properties.Count > 0).ToList();
        await context.XmlAsync(207, MultistatusWriter.Write(new Multistatus([new DavResponse(node.Href, propStats)]), minimal: false));
    }

    /// <summary>Stores the set and remove operations on a collection in one transaction (also used by MKCOL and MKCALENDAR).</summary>
    public static async Task ApplyAsync(DavContext context, IStoreCollectionNode collection, IReadOnlyList<PropertyOperation> operations)
    {
        await using var transaction = await context.Store.BeginAsync(collection.Collection.AccountId, context.Aborted);
        foreach (var operation in operations)
        {
            var name = operation.Property.Name;
            await transaction.SetCollectionPropertyAsync(collection.Collection.Id, name.NamespaceName, name.LocalName,
                operation.Remove ? null : operation.Property.ToString(SaveOptions.DisableFormatting), context.Aborted);
        }
        await transaction.CommitAsync(context.Aborted);
    }

    /// <summary>Writable: an own calendar's or address book's writable live properties, and any name that is not live there (a share's are its owner's).</summary>
    public static bool CanSet(DavNode node, XName name)
        => node is IStoreCollectionNode { Access.IsShared: false } && (DavProperties.Writable.Contains(name) || !DavProperties.IsLive(node, name));
}
