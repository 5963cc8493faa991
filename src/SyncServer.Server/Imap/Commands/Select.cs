using SyncServer.Core.Model;
using SyncServer.Protocols.Imap;
using SyncServer.Server.Imap.Messages;

namespace SyncServer.Server.Imap.Commands;

/// <summary>
/// SELECT and EXAMINE (RFC 9051 §6.3.2–3) with the CONDSTORE parameter (RFC 7162 §3.1.8) and the QRESYNC one
/// (§3.2.5): VANISHED (EARLIER) and the flags of messages changed since the client's modseq.
/// </summary>
public static class SelectCommand
{
    public static async Task HandleAsync(ImapSession session, Select command, CancellationToken cancellationToken)
    {
        // A failed SELECT leaves no mailbox selected (RFC 9051 §6.3.2); the old one is closed with [CLOSED].
        if (session.Selected is not null)
        {
            session.LeaveSelected();
            session.Write(new ImapStatusResponse(null, ImapStatus.Ok, ImapResponseCode.Closed, "Previous mailbox closed"));
        }
        if (command.QResync is not null && !session.QResync)
        {
            session.Bad(command.Tag, "QRESYNC is not enabled");
            return;
        }
        if (session.MailboxName(command.Tag, command.Mailbox) is not { } name || await session.FindMailboxAsync(command.Tag, name, cancellationToken) is not { } mailbox)
            return;
        if (!session.Allowed(command.Tag, mailbox, GrantRights.Read))
            return;
        if (command.CondStore)
            session.CondStore = true;
        // Without any right to change messages, SELECT opens read-only too (RFC 4314 §4).
        var readOnly = command.ReadOnly || (mailbox.Rights & (GrantRights.Seen | GrantRights.Write | GrantRights.Delete | GrantRights.Expunge)) == 0;
        var view = await MailboxView.OpenAsync(session.Services.Store, mailbox, readOnly, cancellationToken);
        var collection = view.Collection;
        session.Write(new ImapFlagsResponse(MessageFlags.Defined));
        session.Write(new ImapExistsResponse(view.Count));
        if (!session.IsEnabled("IMAP4rev2"))
            session.Write(new ImapRecentResponse(0));
        var firstUnseen = view.Messages.FirstOrDefault(m => m.Mail?.Flags.HasFlag(MailFlags.Seen) != true);
        if (firstUnseen is not null && !session.IsEnabled("IMAP4rev2"))
            Untagged(session, ImapResponseCode.Unseen(view.SequenceNumberOf(firstUnseen)));
        Untagged(session, ImapResponseCode.UidValidity(collection.UidValidity.Value));
        Untagged(session, ImapResponseCode.UidNext(collection.NextUid.Value));
        Untagged(session, ImapResponseCode.HighestModSeq((ulong)view.HighestModSeq.Value));
        Untagged(session, ImapResponseCode.PermanentFlags(readOnly ? [] : MessageFlags.Permanent.Where(f => mailbox.Has(AclRights.ToStore(f)))));
        // A UIDVALIDITY other than the client's means its cache is void: no resync data then (§3.2.5.1).
        if (command.QResync is { } resync && resync.UidValidity == collection.UidValidity.Value)
            await ResyncAsync(session, view, resync, cancellationToken);
        session.EnterSelected(view);
        await session.OkAsync(command.Tag, command.ReadOnly ? "EXAMINE completed" : "SELECT completed",
            readOnly ? ImapResponseCode.ReadOnly : ImapResponseCode.ReadWrite);
    }

    private static async Task ResyncAsync(ImapSession session, MailboxView view, QResyncParameters resync, CancellationToken cancellationToken)
    {
        var since = new ModSeq((long)Math.Min(resync.ModSeq, long.MaxValue));
        if (await view.VanishedSinceAsync(session.Services.Store, since, resync.KnownUids, cancellationToken) is { } vanished)
            session.Write(new ImapVanishedResponse(vanished, Earlier: true));
        var highest = view.Messages.Count > 0 ? view.Messages[^1].ImapUid.Value : 0;
        foreach (var item in view.Messages.Where(m => (ulong)m.ModSeq.Value > resync.ModSeq))
        {
            if (resync.KnownUids is null || resync.KnownUids.Contains(item.ImapUid.Value, highest))
                session.Write(FetchResponses.FlagsUpdate(view.SequenceNumberOf(item), item, session));
        }
    }

    private static void Untagged(ImapSession session, ImapResponseCode code) =>
        session.Write(new ImapStatusResponse(null, ImapStatus.Ok, code, code.Name));
}
