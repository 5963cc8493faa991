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
/// Change of Read and Flag, Delete (to Trash unless DeletesAsMoves is 0) and Fetch. Each failure is answered per item
/// in Responses (6 conversion error, 8 object not found); successes of Change and Delete are implicit. The modseqs of
/// what the client changed are returned so they are not sent back to it. Every change is made in the one transaction
/// the caller gives, which also saves the sync state of the key they make (DESIGN.md §1), so a crash before the answer
/// loses both or neither; the tombstones of Deletes are read after its commit (<see cref="TombstonesAsync"/>).
/// </summary>
public sealed class EmailClientCommands(IStore store, IBlobStore blobs, TimeProvider time)
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.AirSync;
    private const int Success = 1, ProtocolError = 4, ConversionError = 6, ObjectNotFound = 8;

    /// <param name="Deleted">Items deleted (or moved to Trash), with their modseq before, whose tombstones are own changes too.</param>
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
                        await EmailContent.ApplicationDataAsync(Ns + "ApplicationData", item, blobs, preference with { TruncationSize = null }, cancellationToken)));
                continue;
            }
            if (item is null)
            {
                outcome.Responses.Add(Failed(ObjectNotFound));
                continue;
            }
            if (command.Name == Ns + "Change" && command.Element(Ns + "ApplicationData") is { } data)
            {
                if (item.Mail is not { } mail)
                {
                    outcome.Responses.Add(Failed(ConversionError));
                    continue;
                }
                var flags = EmailRecord.ApplyChange(mail.Flags, data);
                if (flags != mail.Flags)
                    outcome.OwnChanges.Add((await transaction.UpdateItemAsync(item.Id, new ItemUpdate(Mail: mail with { Flags = flags }), cancellationToken)).ModSeq);
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
        XElement Answer(int status, ItemId? item = null) => new(Ns + "Add", new XElement(Ns + "ClientId", clientId),
            item is { } id ? new XElement(Ns + "ServerId", ItemServerId.Format(collection.Id, id)) : null, new XElement(Ns + "Status", status));
        if (clientIds.TryGetValue(clientId, out var known))
            return Answer(Success, new ItemId(known));
        if (request.Version < ActiveSyncVersion.V16_0 || collection.Role != CollectionRole.Drafts || clientId.Length == 0
            || command.Element(Ns + "ApplicationData") is not { } data
            || EmailDraft.FromApplicationData(data, new MailboxAddress(request.Account.DisplayName, request.Account.Address), time.GetUtcNow()) is not { } message)
            return Answer(ConversionError);
        using var bytes = new MemoryStream();
        await message.WriteToAsync(FormatOptions.Default, bytes, cancellationToken);
        bytes.Position = 0;
        var index = MessageStructureParser.BuildIndex(bytes, MailFlags.Draft | MailFlags.Seen, []);
        bytes.Position = 0;
        var (blob, size) = await blobs.WriteAsync(bytes, cancellationToken);
        var item = await transaction.AddItemAsync(collection.Id, new NewItem(blob, size, time.GetUtcNow(), Mail: index), cancellationToken);
        clientIds[clientId] = item.Id.Value;
        own.Add(item.ModSeq);
        return Answer(Success, item.Id);
    }

    private async Task<Item?> FindAsync(Collection collection, string serverId, CancellationToken cancellationToken)
        => ItemServerId.TryParse(serverId, out _, out var id) && await store.GetItemAsync(id, cancellationToken) is { } item && item.CollectionId == collection.Id
            ? item
            : null;
}
