using SyncServer.Core.Model;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>
/// COPY, MOVE (RFC 6851) and their UID forms, with COPYUID (RFC 4315 §3). A copy shares the blob (bodies are
/// content-addressed); a move keeps the item's identity (IStoreTransaction.MoveItemAsync).
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
        var tree = await MailboxTree.LoadAsync(session.Services.Store, session.AccountId, cancellationToken);
        if (tree.Find(name) is not { } target)
        {
            session.No(tag, "No such mailbox", ImapResponseCode.TryCreate);
            return;
        }
        var sources = view.Resolve(set, uid).Select(m => m.Item).ToList();
        var copies = new List<Item>();
        await using (var transaction = await session.Services.Store.BeginAsync(session.AccountId, cancellationToken))
        {
            foreach (var source in sources)
            {
                copies.Add(move
                    ? await transaction.MoveItemAsync(source.Id, target.Collection.Id, cancellationToken)
                    : await transaction.AddItemAsync(target.Collection.Id,
                        new NewItem(source.BlobId, source.Size, source.InternalDate, Mail: source.Mail), cancellationToken));
            }
            await transaction.CommitAsync(cancellationToken);
        }
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
}
