using SyncServer.Core.Directory;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.Dav;
using SyncServer.Server.Dav.Nodes;

namespace SyncServer.Server.Dav.Methods;

/// <summary>
/// A sharing POST on the user's own calendar, task list or address book: CalendarServer's <c>CS:share</c> (caldav-sharing §5.3,
/// Apple Calendar, Evolution) or <c>DAV:share-resource</c> (draft-pot-webdav-resource-sharing §5.3, DAVx5, Nextcloud). Each
/// sharee gets read or read-write, or loses the share (<c>CS:remove</c>, <c>DAV:no-access</c>), through Core's
/// <see cref="SharingAdministration"/> as <c>syncserver share</c> does. Sharees are named by <c>mailto:</c> or by principal URL
/// and must be other local accounts; the share is in effect at once (no invitation to accept: <c>CS:invite-accepted</c>).
/// Answers: 200 when applied; 403 when the user does not own the collection; 400 for a body that is not a share request;
/// 207 when a sharee is unknown (403 for each such href, 424 for the others) — then nothing is applied.
/// </summary>
public static class Share
{
    public static async Task HandleAsync(DavContext context, IStoreCollectionNode collection)
    {
        if (collection.Access.IsShared)
        {
            await context.StatusAsync(StatusCodes.Status403Forbidden);
            return;
        }
        var (ok, document) = await context.ReadXmlAsync();
        if (!ok)
            return;
        if (document is null || !ShareRequestParser.IsShareRequest(document))
        {
            await context.BadRequestAsync("a POST to a collection must be a share request");
            return;
        }
        if (ShareRequestParser.Parse(document, out var error) is not { } changes)
        {
            await context.BadRequestAsync(error);
            return;
        }
        var directory = context.Http.RequestServices.GetRequiredService<IDirectoryStore>();
        var sharees = new List<(ShareChange Change, Account? Account)>();
        foreach (var change in changes)
        {
            var account = ShareeAddress(change.Href) is { } address ? await directory.GetAccountAsync(address, context.Aborted) : null;
            sharees.Add((change, account is { Enabled: true } && account.Id != context.Account.Id ? account : null));
        }
        if (sharees.Any(s => s.Account is null))
        {
            await context.MultistatusAsync(new Multistatus(sharees.Select(s => new DavResponse(s.Change.Href, [],
                s.Account is null ? StatusCodes.Status403Forbidden : StatusCodes.Status424FailedDependency)).ToList()));
            return;
        }
        foreach (var (change, account) in sharees)
        {
            var name = collection.Collection.Name;
            var result = change.Access == ShareAccess.None
                ? await context.Sharing.RemoveShareAsync(context.Account.Address, name, account!.Address, context.Aborted)
                : await context.Sharing.AddShareAsync(context.Account.Address, name, account!.Address,
                    change.Access == ShareAccess.ReadWrite ? "read-write" : "read", context.Aborted);
            Log.Shared(context.Logger, context.Account.Address, name, account.Address, change.Access.ToString(), result.Error.ToString());
        }
        context.Response.ContentLength = 0;
        await context.StatusAsync(StatusCodes.Status200OK);
    }

    /// <summary>The address a sharee href names: <c>mailto:</c> an address, or a principal URL <c>/dav/principals/{address}/</c>.</summary>
    private static string? ShareeAddress(string href)
    {
        if (href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
            return href[7..].Trim();
        return DavPaths.Split(href) is ["principals", var address] ? address : null;
    }
}
