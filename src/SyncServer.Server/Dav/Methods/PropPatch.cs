using System.Xml.Linq;
using SyncServer.Protocols.Dav;
using SyncServer.Server.Dav.Nodes;

namespace SyncServer.Server.Dav.Methods;

/// <summary>
/// PROPPATCH (RFC 4918 §9.2) on a calendar, address book, plain collection or plain resource: the writable live properties
/// and any dead property are stored whole (an <c>xml:lang</c> in scope goes with the value, §4.3), in document order; a
/// protected one fails the whole request (403 for it, 424 for the others) and nothing is stored.
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
        if (refused.Count == 0 && node is IPropertyStoreNode owner)
            await ApplyAsync(context, owner, request.Operations);
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

    /// <summary>Stores the set and remove operations on a node in one transaction (the user's own: <see cref="CanSet"/> refuses a share's).</summary>
    public static async Task ApplyAsync(DavContext context, IPropertyStoreNode owner, IReadOnlyList<PropertyOperation> operations)
    {
        await using var transaction = await context.Store.BeginAsync(context.Account.Id, context.Aborted);
        foreach (var operation in operations)
            await owner.SetPropertyAsync(transaction, operation.Property.Name, operation.Remove ? null : Serialize(operation.Property), context.Aborted);
        await transaction.CommitAsync(context.Aborted);
    }

    /// <summary>A property element as stored: the whole element, with the <c>xml:lang</c> in scope where it was set (RFC 4918 §4.3).</summary>
    public static string Serialize(XElement property)
    {
        var copy = new XElement(property);
        var lang = XNamespace.Xml + "lang";
        if (copy.Attribute(lang) is null && property.Ancestors().Select(a => a.Attribute(lang)).FirstOrDefault(a => a is not null) is { } inherited)
            copy.SetAttributeValue(lang, inherited.Value);
        return copy.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>Writable: a node's writable live properties, and any name that is not live there (a dead property); a share's are its owner's.</summary>
    public static bool CanSet(DavNode node, XName name)
        => node is IPropertyStoreNode and not IStoreCollectionNode { Access.IsShared: true }
            && (DavProperties.Writable.Contains(name) || !DavProperties.IsLive(node, name));
}
