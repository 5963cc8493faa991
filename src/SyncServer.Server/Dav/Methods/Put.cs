using System.Text;
using System.Xml.Linq;
using SyncServer.Core.Model;
using SyncServer.Protocols.CalDav;
using SyncServer.Protocols.Dav;
using SyncServer.Server.Dav.Nodes;
using SyncServer.Server.Scheduling;

namespace SyncServer.Server.Dav.Methods;

/// <summary>
/// PUT (RFC 4918 §9.7, RFC 4791 §5.3.2, RFC 6352 §6.3.2) of a calendar object or vCard: checked, then stored byte for byte
/// with its index; of a plain resource in the files tree: stored as sent, with its Content-Type. The answer carries the
/// strong ETag because the stored body is exactly the one sent (RFC 4791 §5.3.4), unless scheduling changed it. In a
/// collection shared read-only, and in the directory, it is 403 need-privileges (RFC 3744 §7.1.1).
/// </summary>
public static class Put
{
    private sealed record Checked(CalendarIndex? Calendar, ContactIndex? Contact, string Uid);

    public static async Task HandleAsync(DavContext context)
    {
        var node = await context.ResolveRequestAsync();
        IStoreCollectionNode? collection;
        string name;
        Item? existing = null;
        switch (node)
        {
            case CalendarObjectNode calendarObject:
                (collection, name, existing) = (calendarObject.Calendar, calendarObject.Item.ResourceName, calendarObject.Item);
                break;
            case ContactNode contact:
                (collection, name, existing) = (contact.AddressBook, contact.Item.ResourceName, contact.Item);
                break;
            case FileNode file:
                (collection, name, existing) = (file.Folder, file.Item.ResourceName, file.Item);
                break;
            case DirectoryEntryNode entry:
                await Privileges.DenyAsync(context, entry, DavNames.PrivilegeWriteContent);
                return;
            case null:
                var (parent, leaf) = await context.Tree.ResolveParentAsync(context, context.RequestPath);
                if (parent is DirectoryNode)
                {
                    await Privileges.DenyAsync(context, parent, DavNames.PrivilegeBind);
                    return;
                }
                if (parent is not IStoreCollectionNode target || parent is ScheduleInboxNode)
                {
                    await RefuseLocationAsync(context, parent);
                    return;
                }
                (collection, name) = (target, leaf);
                break;
            default:
                await context.StatusAsync(StatusCodes.Status405MethodNotAllowed);
                return;
        }
        if (!collection.Access.CanWriteContent)
        {
            await Privileges.DenyAsync(context, node ?? (DavNode)collection, existing is null ? DavNames.PrivilegeBind : DavNames.PrivilegeWriteContent);
            return;
        }
        if (name.Length == 0 || name.Length > 255 || name.Any(char.IsControl))
        {
            await context.StatusAsync(StatusCodes.Status403Forbidden);
            return;
        }
        if (!await Preconditions.CheckAsync(context, existing))
            return;
        var previous = existing is not null && collection is CalendarNode ? await DavProperties.TextAsync(context, existing) : null;
        if (!await ScheduleTags.CheckAsync(context, previous is null ? null : ScheduleTags.Of(previous)))
            return;
        if (collection is FolderNode folder)
        {
            await PutFileAsync(context, folder, name, existing);
            return;
        }
        var isCalendar = collection is ICalendarCollectionNode;
        var body = await context.ReadBodyAsync(context.Options.MaxResourceSize);
        if (body is null)
        {
            await context.ErrorAsync(StatusCodes.Status413PayloadTooLarge, isCalendar ? DavNames.MaxResourceSize : DavNames.AddressBookMaxResourceSize);
            return;
        }
        var (result, failed) = isCalendar ? await CheckCalendarAsync(context, (ICalendarCollectionNode)collection, body) : CheckContact(body);
        if (result is null)
        {
            await context.ErrorAsync(StatusCodes.Status403Forbidden, failed!);
            return;
        }
        if (await HasUidConflictAsync(context, collection, result, existing))
        {
            await context.ErrorAsync(StatusCodes.Status403Forbidden, isCalendar ? DavNames.NoUidConflict : DavNames.CardNoUidConflict);
            return;
        }
        var scheduled = collection is CalendarNode ? await ScheduleAsync(context, body, previous) : body;
        if (collection is CalendarNode && ScheduleTags.Of(Encoding.UTF8.GetString(scheduled)) is { } tag)
            context.Response.Headers[ScheduleTags.Header] = tag;
        await StoreAsync(context, collection, name, existing, scheduled, ReferenceEquals(scheduled, body), result.Calendar, result.Contact);
    }

    /// <summary>A plain resource: any bytes and any content type, kept as they came.</summary>
    private static async Task PutFileAsync(DavContext context, FolderNode folder, string name, Item? existing)
    {
        var body = await context.ReadBodyAsync(context.Options.MaxResourceSize);
        if (body is null)
        {
            await context.StatusAsync(StatusCodes.Status413PayloadTooLarge);
            return;
        }
        await StoreAsync(context, folder, name, existing, body, true, null, null, context.Request.ContentType);
    }

    /// <summary>
    /// Writes the blob, adds or updates the item (with a plain resource's content type), and answers 201 or 204, with the ETag
    /// when the body stored is the one sent (<paramref name="asSent"/>; RFC 4791 §5.3.4: none when the server changed it).
    /// </summary>
    private static async Task StoreAsync(DavContext context, IStoreCollectionNode collection, string name, Item? existing, byte[] body,
        bool asSent, CalendarIndex? calendar, ContactIndex? contact, string? contentType = null)
    {
        var (blob, size) = await context.Blobs.WriteAsync(new MemoryStream(body, writable: false), context.Aborted);
        Item stored;
        await using (var transaction = await context.Store.BeginAsync(collection.Collection.AccountId, context.Aborted)) // the owner's, for a share
        {
            stored = existing is null
                ? await transaction.AddItemAsync(collection.Collection.Id, new NewItem(blob, size, context.Time.GetUtcNow(), name,
                    Calendar: calendar, Contact: contact), context.Aborted)
                : await transaction.UpdateItemAsync(existing.Id, new ItemUpdate(blob, size, Calendar: calendar, Contact: contact), context.Aborted);
            if (collection is FolderNode)
                await FileNode.SetContentTypeAsync(transaction, stored.Id, contentType, context.Aborted);
            await transaction.CommitAsync(context.Aborted);
        }
        if (asSent)
            context.Response.Headers.ETag = stored.ETag;
        context.Response.ContentLength = 0;
        await context.StatusAsync(existing is null ? StatusCodes.Status201Created : StatusCodes.Status204NoContent);
    }

    /// <summary>Implicit scheduling (RFC 6638 §3.2): the body to store, the organizer's copy with its SCHEDULE-STATUS; the same array when unchanged.</summary>
    private static async Task<byte[]> ScheduleAsync(DavContext context, byte[] body, string? previous)
    {
        var text = Encoding.UTF8.GetString(body);
        var scheduled = await context.Http.RequestServices.GetRequiredService<CalendarScheduler>().OnPutAsync(context.Account, text, previous, context.Aborted);
        return scheduled == text ? body : Encoding.UTF8.GetBytes(scheduled);
    }

    private static async Task RefuseLocationAsync(DavContext context, DavNode? parent)
    {
        if (parent is null)
            await context.StatusAsync(StatusCodes.Status409Conflict); // RFC 4918 §9.7.1: the parent must exist
        else if (parent is CalendarHomeNode)
            await context.ErrorAsync(StatusCodes.Status403Forbidden, DavNames.CalendarCollectionLocationOk);
        else
            await context.StatusAsync(StatusCodes.Status405MethodNotAllowed);
    }

    private static async Task<(Checked?, XName?)> CheckCalendarAsync(DavContext context, ICalendarCollectionNode calendar, byte[] body)
    {
        if (!TryDecode(body, out var text))
            return (null, DavNames.ValidCalendarData);
        var parsed = CalendarObject.TryParse(text, out var failed);
        if (parsed is null)
            return (null, failed);
        if (!(await CalendarComponents.OfAsync(context, calendar)).Contains(parsed.Component))
            return (null, DavNames.SupportedCalendarComponent);
        return (new Checked(CalendarStore.Index(parsed), null, parsed.Uid), null);
    }

    private static (Checked?, XName?) CheckContact(byte[] body)
    {
        if (!TryDecode(body, out var text))
            return (null, DavNames.ValidAddressData);
        var (_, index, failed) = ContactObjects.Check(text);
        return index is null ? (null, failed) : (new Checked(null, index, index.Uid), null);
    }

    private static async Task<bool> HasUidConflictAsync(DavContext context, IStoreCollectionNode collection, Checked result, Item? existing)
    {
        var holder = await context.Store.FindItemByUidAsync(collection.Collection.Id, result.Uid, context.Aborted);
        return holder is not null && holder.Id != existing?.Id;
    }

    private static bool TryDecode(byte[] body, out string text)
    {
        try
        {
            text = new UTF8Encoding(false, true).GetString(body);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }
}
