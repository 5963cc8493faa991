using SyncServer.Core.Model;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>EXPUNGE (RFC 9051 §6.4.3) and UID EXPUNGE (RFC 4315 §2.1).</summary>
public static class ExpungeCommand
{
    public static async Task HandleAsync(ImapSession session, Expunge command, CancellationToken cancellationToken)
    {
        var view = session.Selected!;
        if (view.ReadOnly)
        {
            session.No(command.Tag, "Mailbox is read-only", ImapResponseCode.ReadOnly);
            return;
        }
        if (!session.Allowed(command.Tag, view.Mailbox, GrantRights.Expunge))
            return;
        foreach (var response in session.Removed(await ExpungeAsync(session, view, command.Uids, cancellationToken)))
            session.Write(response);
        await session.OkAsync(command.Tag, "EXPUNGE completed");
    }

    /// <summary>
    /// Deletes the view's \Deleted messages (those in <paramref name="uids"/> only, when given) and removes them
    /// from the view; returns their sequence numbers and UIDs in the order EXPUNGEs must be sent.
    /// </summary>
    public static async Task<IReadOnlyList<(uint SequenceNumber, ImapUid Uid)>> ExpungeAsync(ImapSession session, MailboxView view, ImapSequenceSet? uids, CancellationToken cancellationToken)
    {
        var doomed = (uids is null ? view.Messages.Select((m, i) => ((uint)i + 1, m)) : view.Resolve(uids, uid: true))
            .Where(m => m.Item2.Mail?.Flags.HasFlag(MailFlags.Deleted) == true)
            .Select(m => m.Item2)
            .ToList();
        if (doomed.Count == 0)
            return [];
        await using (var transaction = await session.Services.Store.BeginAsync(view.Mailbox.Owner, cancellationToken))
        {
            foreach (var item in doomed)
                await transaction.DeleteItemAsync(item.Id, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        // Highest first: each EXPUNGE then leaves the numbers of those still to come unchanged.
        return [.. doomed.OrderByDescending(i => i.ImapUid).Select(i => (view.Remove(i.ImapUid), i.ImapUid))];
    }
}
