using SyncServer.Protocols.Dav;
using SyncServer.Server.Dav.Nodes;

namespace SyncServer.Server.Dav.Methods;

/// <summary>PROPFIND (RFC 4918 §9.1) at Depth 0 or 1; Depth infinity is answered as 1.</summary>
public static class PropFind
{
    public static async Task HandleAsync(DavContext context)
    {
        var (ok, document) = await context.ReadXmlAsync();
        if (!ok)
            return;
        var request = DavRequestParser.ParsePropFind(document, out var error);
        if (request is null)
        {
            await context.BadRequestAsync(error);
            return;
        }
        var node = await context.ResolveRequestAsync();
        if (node is null)
        {
            await context.StatusAsync(StatusCodes.Status404NotFound);
            return;
        }
        var responses = new List<DavResponse> { await DavProperties.FindAsync(context, node, request) };
        if (context.Depth(fallback: 1) > 0)
        {
            foreach (var child in await node.ChildrenAsync(context))
                responses.Add(await DavProperties.FindAsync(context, child, request));
        }
        await context.MultistatusAsync(new Multistatus(responses));
    }
}
