using SyncServer.Core.Model;
using SyncServer.Protocols.Dav;
using SyncServer.Server.Dav.Nodes;

namespace SyncServer.Server.Dav.Methods;

/// <summary>
/// What MOVE and COPY share (RFC 4918 §9.8–9.9): a member goes to another collection of the same type and the same owner (the
/// user's own, or the collections one sharer shares with the user, as the grants allow), named by the <c>Destination</c>
/// header; <c>Overwrite: F</c> refuses an existing target (412); a Destination on another server is 502. Calendars and address
/// books are not moved or copied; plain resources and collections go through <see cref="PlainTransfer"/>.
/// </summary>
public static class MemberTransfer
{
    public static async Task TransferAsync(DavContext context, bool move)
    {
        var source = await context.ResolveRequestAsync();
        if (source is null)
        {
            await context.StatusAsync(StatusCodes.Status404NotFound);
            return;
        }
        var destination = context.Request.Headers["Destination"].ToString();
        if (destination.Length == 0)
        {
            await context.BadRequestAsync("COPY and MOVE need a Destination");
            return;
        }
        if (!OnThisServer(context, destination))
        {
            await context.StatusAsync(StatusCodes.Status502BadGateway); // RFC 4918 §9.8.5: the destination is on another server
            return;
        }
        if (source is FileNode or FolderNode)
        {
            await PlainTransfer.TransferAsync(context, source, destination, move);
            return;
        }
        if (source is not IItemNode member)
        {
            await context.StatusAsync(StatusCodes.Status403Forbidden);
            return;
        }
        var (parent, name) = await context.Tree.ResolveParentAsync(context, destination);
        var sameType = parent is ICalendarCollectionNode && member is CalendarObjectNode || parent is IAddressBookCollectionNode && member is ContactNode;
        if (parent is not IStoreCollectionNode target || !sameType || name.Length == 0)
        {
            await context.StatusAsync(parent is null ? StatusCodes.Status409Conflict : StatusCodes.Status403Forbidden);
            return;
        }
        if (target.Collection.AccountId != member.Item.AccountId)
        {
            await context.StatusAsync(StatusCodes.Status403Forbidden); // between two accounts (a share and the user's own): no one write path
            return;
        }
        if (move && !member.Parent.Access.CanWriteContent)
        {
            await Privileges.DenyAsync(context, (DavNode)member.Parent, DavNames.PrivilegeUnbind);
            return;
        }
        if (!target.Access.CanWriteContent)
        {
            await Privileges.DenyAsync(context, (DavNode)target, DavNames.PrivilegeBind);
            return;
        }
        if (target.Collection.Id == member.Item.CollectionId && name == member.Item.ResourceName)
        {
            await context.StatusAsync(StatusCodes.Status403Forbidden); // source and destination are the same resource
            return;
        }
        if (!await Preconditions.CheckAsync(context, member.Item))
            return;
        var existing = await context.Store.GetItemByResourceNameAsync(target.Collection.Id, name, context.Aborted);
        if (existing is not null && context.Request.Headers["Overwrite"].ToString().Trim().Equals("F", StringComparison.OrdinalIgnoreCase))
        {
            await context.StatusAsync(StatusCodes.Status412PreconditionFailed);
            return;
        }
        var uid = member.Item.Calendar?.Uid ?? member.Item.Contact?.Uid;
        var holder = uid is null ? null : await context.Store.FindItemByUidAsync(target.Collection.Id, uid, context.Aborted);
        if (holder is not null && holder.Id != member.Item.Id && holder.Id != existing?.Id)
        {
            await context.ErrorAsync(StatusCodes.Status403Forbidden, member is CalendarObjectNode ? DavNames.NoUidConflict : DavNames.CardNoUidConflict);
            return;
        }
        await using (var transaction = await context.Store.BeginAsync(target.Collection.AccountId, context.Aborted))
        {
            if (existing is not null)
                await transaction.DeleteItemAsync(existing.Id, context.Aborted);
            var item = member.Item;
            if (move && name == item.ResourceName)
            {
                await transaction.MoveItemAsync(item.Id, target.Collection.Id, context.Aborted); // same ItemId, seen as moved by every view
            }
            else
            {
                if (move)
                    await transaction.DeleteItemAsync(item.Id, context.Aborted);
                await transaction.AddItemAsync(target.Collection.Id, new NewItem(item.BlobId, item.Size, context.Time.GetUtcNow(), name,
                    Calendar: item.Calendar, Contact: item.Contact), context.Aborted);
            }
            await transaction.CommitAsync(context.Aborted);
        }
        await context.StatusAsync(existing is null ? StatusCodes.Status201Created : StatusCodes.Status204NoContent);
    }

    /// <summary>A Destination that is a path, or an absolute URL naming this server's authority (Host header).</summary>
    private static bool OnThisServer(DavContext context, string destination)
        => !Uri.TryCreate(destination, UriKind.Absolute, out var url) || !url.Scheme.StartsWith("http", StringComparison.OrdinalIgnoreCase)
            || string.Equals(url.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
