using SyncServer.Core.Model;
using SyncServer.Protocols.Dav;
using SyncServer.Server.Dav.Nodes;
using SyncServer.Server.Scheduling;

namespace SyncServer.Server.Dav.Methods;

/// <summary>
/// DELETE (RFC 4918 §9.6) of a member, of a calendar/address book the user made, or of a plain collection with everything in
/// it. The provisioned default collections, homes (the files home too), principals, the directory and collections shared with
/// the user cannot be deleted (403); nor can the members of a read-only share or of the directory (403 need-privileges).
/// Conditional headers apply to members (If-Schedule-Tag-Match too, RFC 6638 §8.3). Deleting a scheduling object resource schedules (RFC 6638 §3.2.1.3, §3.2.2.3): the
/// organizer's cancels the event, an attendee's declines it.
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
            case IItemNode { Parent.Access.CanWriteContent: false } member:
                await Privileges.DenyAsync(context, (DavNode)member.Parent, DavNames.PrivilegeUnbind);
                return;
            case DirectoryEntryNode entry:
                await Privileges.DenyAsync(context, entry.Directory, DavNames.PrivilegeUnbind);
                return;
            case IItemNode member:
                if (!await Preconditions.CheckAsync(context, member.Item))
                    return;
                var text = member is CalendarObjectNode ? await DavProperties.TextAsync(context, member.Item) : null;
                if (!await ScheduleTags.CheckAsync(context, text is null ? null : ScheduleTags.Of(text)))
                    return;
                await using (var transaction = await context.Store.BeginAsync(member.Item.AccountId, context.Aborted)) // the owner's, for a share
                {
                    await transaction.DeleteItemAsync(member.Item.Id, context.Aborted);
                    await transaction.CommitAsync(context.Aborted);
                }
                if (text is not null)
                    await context.Http.RequestServices.GetRequiredService<CalendarScheduler>().OnDeleteAsync(context.Account, text, context.Aborted);
                break;
            case FolderNode { IsHome: true }:
                await context.StatusAsync(StatusCodes.Status403Forbidden);
                return;
            case IStoreCollectionNode { Collection.Role: CollectionRole.None, Access.IsShared: false } collection:
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
