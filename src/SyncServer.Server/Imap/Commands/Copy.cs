using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>
/// COPY, MOVE (RFC 6851) and their UID forms, with COPYUID (RFC 4315 §3). A copy shares the blob (bodies are
/// content-addressed) and keeps the trace header prefix; a move within one account keeps the item's identity
/// (IStoreTransaction.MoveItemAsync). The target needs <c>i</c>, a move's source <c>t</c> and <c>e</c> (RFC 4314 §4),
/// and what lands in another account must fit its quota (NO [OVERQUOTA]). Across accounts (a shared mailbox) a
/// move is a copy committed in the target's account, then a delete committed in the source's.
/// </summary>
public static class CopyCommand
{
    public static async Task HandleAsync(ImapSession session, string tag, bool uid, ImapSequenceSet set, string wireName, bool move, CancellationToken cancellationToken)
    {
        var view = session.Selected!;
        if (move && view.ReadOnly)
        {
            session.No(tag, "Mailbox is read-only", ImapResponseCode.ReadOnly);
            return;
        }
        if (session.MailboxName(tag, wireName) is not { } name)
            return;
        var tree = await session.LoadMailboxesAsync(cancellationToken);
        if (tree.Find(name) is not { } target)
        {
            session.No(tag, "No such mailbox", ImapResponseCode.TryCreate);
            return;
        }
        if (!session.Allowed(tag, target, GrantRights.Insert) || move && !session.Allowed(tag, view.Mailbox, GrantRights.Delete | GrantRights.Expunge))
            return;
        var sources = view.Resolve(set, uid).Select(m => m.Item).ToList();
        var sameAccount = target.Owner == view.Mailbox.Owner;
        if ((!move || !sameAccount) && !await MailboxQuota.FitsAsync(session, tag, target.Owner, sources.Sum(s => s.Size), cancellationToken))
            return;
        // A move into the selected mailbox itself is a copy with new UIDs and an expunge of the originals (RFC 6851: COPY, then EXPUNGE).
        var inPlace = target.Collection.Id == view.Collection.Id;
        var copies = new List<Item>();
        await using (var transaction = await session.Services.Store.BeginAsync(target.Owner, cancellationToken))
        {
            foreach (var source in sources)
            {
                copies.Add(move && sameAccount && !inPlace
                    ? await transaction.MoveItemAsync(source.Id, target.Collection.Id, cancellationToken)
                    : await transaction.AddItemAsync(target.Collection.Id, CopyOf(source), cancellationToken));
                if (move && inPlace)
                    await transaction.DeleteItemAsync(source.Id, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        if (move && !sameAccount)
            await DeleteAsync(session.Services.Store, view.Mailbox.Owner, sources, cancellationToken);
        var copyUid = sources.Count == 0 ? null : ImapResponseCode.CopyUid(target.Collection.UidValidity.Value,
            ImapSequenceSet.FromNumbers(sources.Select(s => s.ImapUid.Value)), ImapSequenceSet.FromNumbers(copies.Select(c => c.ImapUid.Value)));
        if (!move)
        {
            await session.OkAsync(tag, "COPY completed", copyUid);
            return;
        }
        // MOVE: COPYUID in an untagged OK before the EXPUNGEs (RFC 6851 §4.3); highest first keeps the numbers valid.
        if (copyUid is not null)
            session.Write(new ImapStatusResponse(null, ImapStatus.Ok, copyUid, "Moved"));
        var removed = sources.OrderByDescending(s => s.ImapUid).Select(s => (view.Remove(s.ImapUid), s.ImapUid)).ToList();
        foreach (var response in session.Removed(removed))
            session.Write(response);
        await session.OkAsync(tag, "MOVE completed");
    }

    // Item.Size counts the header prefix; the new item gets the same prefix and blob, so the same bytes.
    private static NewItem CopyOf(Item source) =>
        new(source.BlobId, source.Size - source.HeaderPrefix.Length, source.InternalDate, Mail: source.Mail, HeaderPrefix: source.HeaderPrefix);

    private static async Task DeleteAsync(IStore store, AccountId owner, IReadOnlyList<Item> items, CancellationToken cancellationToken)
    {
        await using var transaction = await store.BeginAsync(owner, cancellationToken);
        foreach (var item in items)
            await transaction.DeleteItemAsync(item.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
