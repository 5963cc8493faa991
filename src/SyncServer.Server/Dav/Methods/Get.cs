using SyncServer.Core.Store;
using SyncServer.Server.Dav.Nodes;

namespace SyncServer.Server.Dav.Methods;

/// <summary>GET and HEAD (RFC 4918 §9.4) of a calendar object, vCard or plain resource: the exact bytes the client stored, with its strong ETag; a directory entry's generated vCard.</summary>
public static class Get
{
    public static async Task HandleAsync(DavContext context)
    {
        var node = await context.ResolveRequestAsync();
        if (node is null)
        {
            await context.StatusAsync(StatusCodes.Status404NotFound);
            return;
        }
        if (node is DirectoryEntryNode entry)
        {
            await WriteDirectoryEntryAsync(context, entry);
            return;
        }
        if (node is not IItemNode member)
        {
            context.Response.Headers.Allow = "OPTIONS, PROPFIND, PROPPATCH, REPORT, DELETE";
            await context.StatusAsync(StatusCodes.Status405MethodNotAllowed);
            return;
        }
        var item = member.Item;
        context.Response.ContentType = await member.ContentTypeAsync(context);
        context.Response.ContentLength = item.Size;
        context.Response.Headers.ETag = item.ETag;
        context.Response.Headers.LastModified = item.InternalDate.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        if (HttpMethods.IsHead(context.Request.Method))
            return;
        await using var content = await ItemContent.OpenAsync(item, context.Blobs, context.Aborted);
        await content.CopyToAsync(context.Response.Body, context.Aborted);
    }

    private static async Task WriteDirectoryEntryAsync(DavContext context, DirectoryEntryNode entry)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(entry.Text);
        context.Response.ContentType = DirectoryCards.ContentType;
        context.Response.ContentLength = body.Length;
        context.Response.Headers.ETag = entry.ETag;
        if (!HttpMethods.IsHead(context.Request.Method))
            await context.Response.Body.WriteAsync(body, context.Aborted);
    }
}
