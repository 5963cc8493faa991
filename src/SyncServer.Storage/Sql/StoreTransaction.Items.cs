using System.Security.Cryptography;
using System.Text;
using SyncServer.Core.Changes;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Storage.Sql;

internal sealed partial class StoreTransaction
{
    public Task<Item> AddItemAsync(CollectionId collection, NewItem item, CancellationToken cancellationToken) => Run(async () =>
    {
        var target = await LoadCollectionAsync(collection);
        var uid = await TakeNextUidAsync(collection);
        var modSeq = NextModSeq();
        var resourceName = item.ResourceName ?? $"{Guid.NewGuid():N}{Extension(target.Kind)}";
        var prefix = item.HeaderPrefix.ToArray();
        var size = prefix.Length + item.Size;
        var id = await QuerySingleAsync<long>("""
            INSERT INTO items (account_id, collection_id, resource_name, imap_uid, modseq, created_modseq, etag, blob_id, header_prefix, size, internal_date)
            VALUES (@account, @collection, @resourceName, @uid, @modSeq, @modSeq, @etag, @blob, @prefix, @size, @internalDate) RETURNING id
            """, new
        {
            account = Account.Value, collection = collection.Value, resourceName, uid, modSeq = modSeq.Value,
            etag = ETagOf(item.BlobId, prefix), blob = item.BlobId.Sha256Hex, prefix, size,
            internalDate = SqlValues.Ms(item.InternalDate),
        });
        await WriteSideDataAsync(id, collection, item.Mail, item.Calendar, item.Contact);
        await AddUsedBytesAsync(size);
        await LogItemChangeAsync(collection, id, uid, resourceName, modSeq, ItemChangeKind.Created);
        if (item.UnfinishedDelivery is { } delivery)
            await ExecuteAsync("INSERT INTO unfinished_deliveries (delivery_id, stored_at, account_id, item_id) VALUES (@delivery, @now, @account, @id)",
                new { delivery = delivery.Value, now = SqlValues.Ms(_time.GetUtcNow()), account = Account.Value, id });
        return await LoadItemAsync(new ItemId(id));
    });

    public Task<Item> UpdateItemAsync(ItemId id, ItemUpdate update, CancellationToken cancellationToken) => Run(async () =>
    {
        var current = await LoadItemAsync(id);
        var modSeq = NextModSeq();
        // A new body replaces the whole content, prefix included.
        var blob = update.BlobId ?? current.BlobId;
        var prefix = update.BlobId is null ? current.HeaderPrefix.ToArray() : [];
        var size = update.Size is { } blobSize ? prefix.Length + blobSize : current.Size;
        await ExecuteAsync(
            "UPDATE items SET modseq = @modSeq, blob_id = @blob, header_prefix = @prefix, etag = @etag, size = @size WHERE id = @id",
            new { id = id.Value, modSeq = modSeq.Value, blob = blob.Sha256Hex, prefix, etag = ETagOf(blob, prefix), size });
        await WriteSideDataAsync(id.Value, current.CollectionId, update.Mail, update.Calendar, update.Contact);
        await AddUsedBytesAsync(size - current.Size);
        await LogItemChangeAsync(current.CollectionId, id.Value, current.ImapUid.Value, current.ResourceName, modSeq, ItemChangeKind.Updated);
        return await LoadItemAsync(id);
    });

    public Task<Item> ReplaceMessageAsync(ItemId id, BlobId blob, long size, MailIndex mail, DateTimeOffset internalDate, CancellationToken cancellationToken)
        => Run(async () =>
        {
            var current = await LoadItemAsync(id);
            await LogItemChangeAsync(current.CollectionId, id.Value, current.ImapUid.Value, current.ResourceName, NextModSeq(), ItemChangeKind.Deleted);
            var uid = await TakeNextUidAsync(current.CollectionId);
            var modSeq = NextModSeq();
            byte[] prefix = [];
            await ExecuteAsync("""
                UPDATE items SET imap_uid = @uid, modseq = @modSeq, created_modseq = @modSeq, blob_id = @blob, header_prefix = @prefix, etag = @etag,
                                 size = @size, internal_date = @internalDate
                WHERE id = @id
                """,
                new
                {
                    id = id.Value, uid, modSeq = modSeq.Value, blob = blob.Sha256Hex, prefix, etag = ETagOf(blob, prefix), size,
                    internalDate = SqlValues.Ms(internalDate),
                });
            await WriteSideDataAsync(id.Value, current.CollectionId, mail, null, null);
            await AddUsedBytesAsync(size - current.Size);
            await LogItemChangeAsync(current.CollectionId, id.Value, uid, current.ResourceName, modSeq, ItemChangeKind.Created);
            return await LoadItemAsync(id);
        });

    public Task<Item> MoveItemAsync(ItemId id, CollectionId target, CancellationToken cancellationToken) => Run(async () =>
    {
        var current = await LoadItemAsync(id);
        await LoadCollectionAsync(target);
        if (current.CollectionId == target)
            return current;
        await LogItemChangeAsync(current.CollectionId, id.Value, current.ImapUid.Value, current.ResourceName, NextModSeq(), ItemChangeKind.Deleted);
        var uid = await TakeNextUidAsync(target);
        var modSeq = NextModSeq();
        await ExecuteAsync(
            "UPDATE items SET collection_id = @target, imap_uid = @uid, modseq = @modSeq WHERE id = @id",
            new { id = id.Value, target = target.Value, uid, modSeq = modSeq.Value });
        await ExecuteAsync("UPDATE calendar_index SET collection_id = @target WHERE item_id = @id", new { id = id.Value, target = target.Value });
        await ExecuteAsync("UPDATE contact_index SET collection_id = @target WHERE item_id = @id", new { id = id.Value, target = target.Value });
        await LogItemChangeAsync(target, id.Value, uid, current.ResourceName, modSeq, ItemChangeKind.Created);
        return await LoadItemAsync(id);
    });

    public Task SetItemPropertyAsync(ItemId id, string ns, string name, string? xml, CancellationToken cancellationToken) => Run(async () =>
    {
        await LoadItemAsync(id);
        await ExecuteAsync("DELETE FROM item_properties WHERE item_id = @id AND namespace = @ns AND name = @name", new { id = id.Value, ns, name });
        if (xml is not null)
            await ExecuteAsync("INSERT INTO item_properties (item_id, namespace, name, value) VALUES (@id, @ns, @name, @xml)", new { id = id.Value, ns, name, xml });
    });

    public Task DeleteItemAsync(ItemId id, CancellationToken cancellationToken) => Run(async () =>
    {
        var current = await LoadItemAsync(id);
        // Side-index rows go with it (ON DELETE CASCADE).
        await ExecuteAsync("DELETE FROM items WHERE id = @id", new { id = id.Value });
        await AddUsedBytesAsync(-current.Size);
        await LogItemChangeAsync(current.CollectionId, id.Value, current.ImapUid.Value, current.ResourceName, NextModSeq(), ItemChangeKind.Deleted);
    });

    /// <summary>
    /// A strong ETag derived from the content (prefix and blob), so it changes exactly when the bytes change.
    /// Without a prefix it is the blob's hash, as it was before prefixes existed.
    /// </summary>
    private static string ETagOf(BlobId blob, byte[] prefix)
    {
        var hex = prefix.Length == 0
            ? blob.Sha256Hex
            : Convert.ToHexStringLower(SHA256.HashData([.. prefix, .. Encoding.ASCII.GetBytes(blob.Sha256Hex)]));
        return $"\"{hex[..32]}\"";
    }

    private static string Extension(CollectionKind kind) => kind switch
    {
        CollectionKind.Mailbox => ".eml",
        CollectionKind.Calendar or CollectionKind.Tasks => ".ics",
        CollectionKind.AddressBook => ".vcf",
        _ => ".txt",
    };

    /// <summary>UIDs live in the collection row, so they are never reused, across deletes and restarts alike.</summary>
    private Task<long> TakeNextUidAsync(CollectionId collection)
        => QuerySingleAsync<long>(
            "UPDATE collections SET next_uid = next_uid + 1 WHERE id = @id RETURNING next_uid - 1", new { id = collection.Value });

    /// <summary>Replaces each given kind of side data (null = keep what is there).</summary>
    private async Task WriteSideDataAsync(long itemId, CollectionId collection, MailIndex? mail, CalendarIndex? calendar, ContactIndex? contact)
    {
        if (mail is not null)
        {
            await ExecuteAsync("DELETE FROM mail_index WHERE item_id = @itemId", new { itemId });
            await ExecuteAsync("""
                INSERT INTO mail_index (item_id, flags, keywords, subject, from_address, to_address, message_id, sent_date, mime_structure)
                VALUES (@itemId, @flags, @keywords, @subject, @from, @to, @messageId, @sentDate, @mimeStructure)
                """, new
            {
                itemId, flags = (long)mail.Flags, keywords = SqlValues.JoinLines(mail.Keywords), subject = mail.Subject,
                from = mail.From, to = mail.To, messageId = mail.MessageId, sentDate = SqlValues.Ms(mail.SentDate),
                mimeStructure = mail.MimeStructure,
            });
        }
        if (calendar is not null)
        {
            await ExecuteAsync("DELETE FROM calendar_index WHERE item_id = @itemId", new { itemId });
            await ExecuteAsync("""
                INSERT INTO calendar_index (item_id, collection_id, uid, component, start_utc, end_utc, is_recurring)
                VALUES (@itemId, @collection, @uid, @component, @start, @end, @recurring)
                """, new
            {
                itemId, collection = collection.Value, uid = calendar.Uid, component = calendar.Component,
                start = SqlValues.Ms(calendar.StartUtc), end = SqlValues.Ms(calendar.EndUtc), recurring = calendar.IsRecurring,
            });
        }
        if (contact is not null)
        {
            await ExecuteAsync("DELETE FROM contact_index WHERE item_id = @itemId", new { itemId });
            await ExecuteAsync("""
                INSERT INTO contact_index (item_id, collection_id, uid, fn, emails)
                VALUES (@itemId, @collection, @uid, @fn, @emails)
                """, new
            {
                itemId, collection = collection.Value, uid = contact.Uid, fn = contact.FormattedName,
                emails = SqlValues.JoinLines(contact.Emails),
            });
        }
    }

    private async Task<Item> LoadItemAsync(ItemId id)
    {
        var row = await QuerySingleOrDefaultAsync<ItemRow>(
            ItemRow.Select + " WHERE i.id = @id AND i.account_id = @account", new { id = id.Value, account = Account.Value });
        return row?.ToModel() ?? throw new StoreNotFoundException($"item {id} not found in account {Account}");
    }
}
