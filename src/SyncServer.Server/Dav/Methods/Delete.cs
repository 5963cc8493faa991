using SyncServer.Core.Model;
using SyncServer.Server.Dav.Nodes;

namespace SyncServer.Server.Dav.Methods;

/// <summary>
/// DELETE (RFC 4918 §9.6) of a member, of a calendar/address book the user made, or of a plain collection with everything in
/// it. The provisioned default collections, homes and principals cannot be deleted (403). Conditional headers apply to members.
/// </summary>
public static class Delete
{
    public static async Task HandleAsync(DavContext context)
    {
        var node = await context.ResolveRequestAsync();
        switch (node)
        {
            case null:
                await context.StatusAsync(StatusCodes.Status404NotFound);
                return;
            case IItemNode member:
                if (!await Preconditions.CheckAsync(context, member.Item))
                    return;
                await using (var transaction = await context.Store.BeginAsync(context.Account.Id, context.Aborted))
                {
                    await transaction.DeleteItemAsync(member.Item.Id, context.Aborted);
                    await transaction.CommitAsync(context.Aborted);
                }
                break;
            case FolderNode { IsHome: true }:
                await context.StatusAsync(StatusCodes.Status403Forbidden);
                return;
            case IStoreCollectionNode { Collection.Role: CollectionRole.None } collection:
                await using (var transaction = await context.Store.BeginAsync(context.Account.Id, context.Aborted))
                {
                    await transaction.DeleteCollectionAsync(collection.Collection.Id, context.Aborted);
                    await transaction.CommitAsync(context.Aborted);
                }
                break;
            default:
                await context.StatusAsync(StatusCodes.Status403Forbidden);
                return;
        }
        await context.StatusAsync(StatusCodes.Status204NoContent);
    }
}
