using SyncServer.Core.Store;
using SyncServer.Server.Dav.Nodes;

namespace SyncServer.Server.Dav.Methods;

/// <summary>
/// GET and HEAD (RFC 4918 §9.4) of a calendar object, vCard or plain resource: the exact bytes the client stored, with its
/// strong ETag (and a scheduling object's Schedule-Tag); a directory entry's generated vCard.
/// </summary>
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
        await using var content = await ItemContent.OpenAsync(item, context.Blobs, context.Aborted);
        if (member is CalendarObjectNode)
        {
            await WriteCalendarObjectAsync(context, content);
            return;
        }
        if (!HttpMethods.IsHead(context.Request.Method))
            await content.CopyToAsync(context.Response.Body, context.Aborted);
    }

    /// <summary>A calendar object (at most the resource size limit) is read whole: a scheduling object's Schedule-Tag (RFC 6638 §3.2.10) comes from its text.</summary>
    private static async Task WriteCalendarObjectAsync(DavContext context, Stream content)
    {
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, context.Aborted);
        if (ScheduleTags.Of(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)) is { } tag)
            context.Response.Headers[ScheduleTags.Header] = tag;
        if (!HttpMethods.IsHead(context.Request.Method))
            await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.Aborted);
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
