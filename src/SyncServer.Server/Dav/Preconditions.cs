using SyncServer.Core.Model;

namespace SyncServer.Server.Dav;

/// <summary>
/// HTTP conditional headers (RFC 7232) on PUT, DELETE, MOVE and COPY. ETags are compared strongly after normalising what
/// old clients send (a <c>W/</c> prefix, missing quotes, Evolution's backslash-escaped quotes — client-requirements DAV-C-04).
/// </summary>
public static class Preconditions
{
    /// <summary>True when the request may proceed; otherwise answers 412 with the current ETag (DAV-Q-15).</summary>
    public static async Task<bool> CheckAsync(DavContext context, Item? current)
    {
        var ifMatch = context.Request.Headers.IfMatch.ToString();
        var ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString();
        var failed = (ifMatch.Length > 0 && !Matches(ifMatch, current))
            || (ifNoneMatch.Length > 0 && Matches(ifNoneMatch, current));
        if (!failed)
            return true;
        if (current is not null)
            context.Response.Headers.ETag = current.ETag;
        await context.StatusAsync(StatusCodes.Status412PreconditionFailed);
        return false;
    }

    private static bool Matches(string header, Item? current)
    {
        if (current is null)
            return false;
        if (header.Trim() == "*")
            return true;
        var ours = Normalize(current.ETag);
        return header.Split(',').Any(tag => Normalize(tag) == ours);
    }

    private static string Normalize(string tag)
    {
        var value = tag.Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal))
            value = value[2..];
        return value.Replace("\\", "", StringComparison.Ordinal).Trim('"');
    }
}
