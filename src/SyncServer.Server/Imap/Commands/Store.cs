using SyncServer.Core.Model;
using SyncServer.Protocols.Imap;
using SyncServer.Server.Imap.Messages;

namespace SyncServer.Server.Imap.Commands;

/// <summary>STORE and UID STORE (RFC 9051 §6.4.6) with UNCHANGEDSINCE (RFC 7162 §3.1.3).</summary>
public static class StoreCommand
{
    public static async Task HandleAsync(ImapSession session, Store command, CancellationToken cancellationToken)
    {
        var view = session.Selected!;
        if (view.ReadOnly)
        {
            session.No(command.Tag, "Mailbox is read-only", ImapResponseCode.ReadOnly);
            return;
        }
        if (!session.Allowed(command.Tag, view.Mailbox, command.Flags.Aggregate(GrantRights.None, (r, f) => r | AclRights.ToStore(f))))
            return;
        if (command.UnchangedSince is not null)
            session.CondStore = true;
        var modified = new List<uint>();
        var updated = new List<(uint SequenceNumber, Item Item)>();
        await using (var transaction = await session.Services.Store.BeginAsync(view.Mailbox.Owner, cancellationToken))
        {
            foreach (var (sequenceNumber, listed) in view.Resolve(command.Set, command.Uid))
            {
                // Read again under the account's write lock, so a concurrent flag change is not lost.
                var current = await session.Services.Store.GetItemAsync(listed.Id, cancellationToken);
                if (current?.Mail is not { } mail)
                    continue;
                if (command.UnchangedSince is { } since && (ulong)current.ModSeq.Value > since)
                {
                    modified.Add(command.Uid ? current.ImapUid.Value : sequenceNumber);
                    continue;
                }
                var changed = MessageFlags.Apply(mail, command.Mode, command.Flags);
                var item = MessageFlags.SameFlags(mail, changed)
                    ? current
                    : await transaction.UpdateItemAsync(current.Id, new ItemUpdate(Mail: changed), cancellationToken);
                updated.Add((sequenceNumber, item));
            }
            await transaction.CommitAsync(cancellationToken);
        }
        foreach (var (sequenceNumber, item) in updated)
        {
            view.Update(item);
            if (!command.Silent)
                session.Write(FetchResponses.FlagsUpdate(sequenceNumber, item, session));
        }
        await session.OkAsync(command.Tag, "STORE completed", modified.Count > 0 ? ImapResponseCode.Modified(ImapSequenceSet.FromNumbers(modified)) : null);
    }
}
