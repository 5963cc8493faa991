using System.Globalization;
using System.Xml.Linq;
using MimeKit;
using SyncServer.Core.Changes;
using SyncServer.Core.Mail;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.ActiveSync.Http;
using SyncServer.Protocols.ActiveSync.Wbxml;
using SyncServer.Server.ActiveSync.Mapping;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// The client's side of an Email Sync (MS-ASCMD 2.2.3.32, client-requirements EAS-SYNC-06): Add (drafts, 16.x),
/// Change of Read, Flag and Categories, Delete (to Trash unless DeletesAsMoves is 0) and Fetch. Each failure is answered per item
/// in Responses (6 conversion error, 8 object not found); successes of Change and Delete are implicit. The modseqs of
/// what the client changed are returned so they are not sent back to it. Every change is made in the one transaction
/// the caller gives, which also saves the sync state of the key they make (DESIGN.md §1), so a crash before the answer
/// loses both or neither; the tombstones of Deletes are read after its commit (<see cref="TombstonesAsync"/>).
/// </summary>
public sealed class EmailClientCommands(IStore store, IBlobStore blobs, TimeProvider time)
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.AirSync;
    private const int Success = 1, ProtocolError = 4, ConversionError = 6, ObjectNotFound = 8;

    /// <param name="Deleted">Items deleted, moved to Trash or replaced (an edited draft), with their modseq before, whose tombstones are own changes too.</param>
    public sealed record Outcome(List<XElement> Responses, List<ModSeq> OwnChanges, List<Item> Deleted)
    {
        public static Outcome None => new([], [], []);

        /// <summary>Whether the transaction holds a change of the client.</summary>
        public bool Wrote => OwnChanges.Count > 0 || Deleted.Count > 0;
    }

    /// <param name="clientIds">ClientId → ItemId of the Adds already made for this key; new Adds are added to it.</param>
    public async Task<Outcome> ApplyAsync(ActiveSyncRequest request, Collection collection, SyncCollectionRequest asked, BodyPreference preference,
        Dictionary<string, long> clientIds, IStoreTransaction transaction, CancellationToken cancellationToken)
    {
        var outcome = Outcome.None;
        if (asked.Commands is null)
            return outcome;
        var trash = asked.DeletesAsMoves
            ? (await store.ListCollectionsAsync(request.Account.Id, cancellationToken)).FirstOrDefault(c => c.Role == CollectionRole.Trash && c.Id != collection.Id)
            : null;
        foreach (var command in asked.Commands.Elements())
        {
            if (command.Name == Ns + "Add")
            {
                outcome.Responses.Add(await AddAsync(request, collection, command, clientIds, outcome.OwnChanges, transaction, cancellationToken));
                continue;
            }
            var serverId = (string?)command.Element(Ns + "ServerId") ?? "";
            var item = await FindAsync(collection, serverId, cancellationToken);
            XElement Failed(int status) => new(command.Name, new XElement(Ns + "ServerId", serverId), new XElement(Ns + "Status", status));
            if (command.Name == Ns + "Fetch")
            {
                outcome.Responses.Add(item is null
                    ? Failed(ObjectNotFound)
                    : new XElement(Ns + "Fetch", new XElement(Ns + "ServerId", serverId), new XElement(Ns + "Status", Success),
                        await EmailContent.ApplicationDataAsync(Ns + "ApplicationData", item, store, blobs, preference with { TruncationSize = null }, request.Version,
                            cancellationToken)));
                continue;
            }
            if (item is null)
            {
                outcome.Responses.Add(Failed(ObjectNotFound));
                continue;
            }
            if (command.Name == Ns + "Change" && command.Element(Ns + "ApplicationData") is { } edit && IsDraftEdit(request, collection, item, edit))
            {
                if (await EditDraftAsync(request, collection, item, edit, outcome, transaction, cancellationToken) is { } answer)
                    outcome.Responses.Add(answer);
                continue;
            }
            if (command.Name == Ns + "Change" && command.Element(Ns + "ApplicationData") is { } data)
            {
                if (item.Mail is not { } mail)
                {
                    outcome.Responses.Add(Failed(ConversionError));
                    continue;
                }
                var change = EmailRecord.ApplyChange(mail, data, request.Version);
                if (change.FlagChanged)
                    await transaction.SetItemPropertyAsync(item.Id, EmailItemState.Namespace, EmailItemState.FlagProperty, change.FlagDetails?.ToString(), cancellationToken);
                if (change.FlagChanged || change.Mail.Flags != mail.Flags || !change.Mail.Keywords.SequenceEqual(mail.Keywords))
                    outcome.OwnChanges.Add((await transaction.UpdateItemAsync(item.Id, new ItemUpdate(Mail: change.Mail), cancellationToken)).ModSeq);
            }
            else if (command.Name == Ns + "Delete" && trash is not null)
                outcome.OwnChanges.Add((await transaction.MoveItemAsync(item.Id, trash.Id, cancellationToken)).ModSeq);
            else if (command.Name == Ns + "Delete")
                await transaction.DeleteItemAsync(item.Id, cancellationToken);
            else
            {
                outcome.Responses.Add(Failed(ProtocolError));
                continue;
            }
            if (command.Name == Ns + "Delete")
                outcome.Deleted.Add(item);
        }
        return outcome;
    }

    /// <summary>The modseqs of the tombstones the client's Deletes left in the collection, once committed.</summary>
    public async Task<IEnumerable<ModSeq>> TombstonesAsync(Collection collection, IReadOnlyList<Item> deleted, CancellationToken cancellationToken)
    {
        var tombstones = new List<ModSeq>();
        foreach (var item in deleted)
            tombstones.AddRange((await store.GetChangesAsync(collection.Id, item.ModSeq, int.MaxValue, cancellationToken)).Changes
                .Where(c => c.ItemId == item.Id && c.Kind == ItemChangeKind.Deleted).Select(c => c.ModSeq));
        return tombstones;
    }

    /// <summary>
    /// A new draft (16.0+, Drafts only; elsewhere status 6). A ClientId already answered for this key gets the same
    /// ServerId again instead of a second item (EAS-SYNC-02).
    /// </summary>
    private async Task<XElement> AddAsync(ActiveSyncRequest request, Collection collection, XElement command, Dictionary<string, long> clientIds,
        List<ModSeq> own, IStoreTransaction transaction, CancellationToken cancellationToken)
    {
        var clientId = (string?)command.Element(Ns + "ClientId") ?? "";
        XElement Answer(int status, ItemId? item = null, XElement? data = null) => new(Ns + "Add", new XElement(Ns + "ClientId", clientId),
            item is { } id ? new XElement(Ns + "ServerId", ItemServerId.Format(collection.Id, id)) : null, data, new XElement(Ns + "Status", status));
        if (clientIds.TryGetValue(clientId, out var known))
            return Answer(Success, new ItemId(known));
        if (request.Version < ActiveSyncVersion.V16_0 || collection.Role != CollectionRole.Drafts || clientId.Length == 0
            || command.Element(Ns + "ApplicationData") is not { } data
            || EmailDraft.FromApplicationData(data, new MailboxAddress(request.Account.DisplayName, request.Account.Address), time.GetUtcNow()) is not { } draft)
            return Answer(ConversionError);
        var (blob, size, index) = await WriteAsync(draft.Message, MailFlags.Draft | MailFlags.Seen, [], cancellationToken);
        var item = await transaction.AddItemAsync(collection.Id, new NewItem(blob, size, time.GetUtcNow(), Mail: index), cancellationToken);
        clientIds[clientId] = item.Id.Value;
        own.Add(item.ModSeq);
        return Answer(Success, item.Id, draft.AddedAttachments(collection.Id, item.Id));
    }

    /// <summary>A 16.x Change of a draft's content in Drafts (Read, Flag and Categories alone are a plain Change).</summary>
    private static bool IsDraftEdit(ActiveSyncRequest request, Collection collection, Item item, XElement data)
        => request.Version >= ActiveSyncVersion.V16_0 && collection.Role == CollectionRole.Drafts && item.Mail?.Flags.HasFlag(MailFlags.Draft) == true
            && EmailDraft.EditsContent(data);

    /// <summary>
    /// Replaces the stored draft with the edited one under the same ServerId, the client's (its IMAP UID changes:
    /// <see cref="IStoreTransaction.ReplaceMessageAsync"/>); Read/Flag/Categories in the same Change apply too. The
    /// answer is null on success without added attachments (implicit), their FileReferences, or status 6.
    /// </summary>
    private async Task<XElement?> EditDraftAsync(ActiveSyncRequest request, Collection collection, Item item, XElement data, Outcome outcome,
        IStoreTransaction transaction, CancellationToken cancellationToken)
    {
        var serverId = ItemServerId.Format(collection.Id, item.Id);
        var stored = await StoredMessage.LoadAsync(item, blobs, cancellationToken);
        if (EmailDraft.Edit(stored.Message, item, data, time.GetUtcNow()) is not { } draft)
            return new XElement(Ns + "Change", new XElement(Ns + "ServerId", serverId), new XElement(Ns + "Status", ConversionError));
        var change = EmailRecord.ApplyChange(item.Mail!, data, request.Version);
        var (blob, size, index) = await WriteAsync(draft.Message, change.Mail.Flags, change.Mail.Keywords, cancellationToken);
        if (change.FlagChanged)
            await transaction.SetItemPropertyAsync(item.Id, EmailItemState.Namespace, EmailItemState.FlagProperty, change.FlagDetails?.ToString(), cancellationToken);
        outcome.OwnChanges.Add((await transaction.ReplaceMessageAsync(item.Id, blob, size, index, time.GetUtcNow(), cancellationToken)).ModSeq);
        outcome.Deleted.Add(item); // the tombstone of its old UID is the client's own change too
        return draft.AddedAttachments(collection.Id, item.Id) is { } attachments
            ? new XElement(Ns + "Change", new XElement(Ns + "ServerId", serverId), new XElement(Ns + "Status", Success), attachments)
            : null;
    }

    /// <summary>A composed message as the store keeps it: its blob, size and mail index with these flags and keywords.</summary>
    private async Task<(BlobId Blob, long Size, MailIndex Index)> WriteAsync(MimeMessage message, MailFlags flags, IReadOnlyList<string> keywords,
        CancellationToken cancellationToken)
    {
        using var bytes = new MemoryStream();
        await message.WriteToAsync(FormatOptions.Default, bytes, cancellationToken);
        bytes.Position = 0;
        var index = MessageStructureParser.BuildIndex(bytes, flags, keywords);
        bytes.Position = 0;
        var (blob, size) = await blobs.WriteAsync(bytes, cancellationToken);
        return (blob, size, index);
    }

    private async Task<Item?> FindAsync(Collection collection, string serverId, CancellationToken cancellationToken)
        => ItemServerId.TryParse(serverId, out _, out var id) && await store.GetItemAsync(id, cancellationToken) is { } item && item.CollectionId == collection.Id
            ? item
            : null;
}
