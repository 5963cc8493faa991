using SyncServer.Core.Model;
using SyncServer.Protocols.Imap;
using SyncServer.Server.Imap.Messages;

namespace SyncServer.Server.Imap.Commands;

/// <summary>SELECT and EXAMINE (RFC 9051 §6.3.2–3) with the CONDSTORE parameter (RFC 7162 §3.1.8).</summary>
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
        if (command.QResync is not null)
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
        session.EnterSelected(view);
        await session.OkAsync(command.Tag, command.ReadOnly ? "EXAMINE completed" : "SELECT completed",
            readOnly ? ImapResponseCode.ReadOnly : ImapResponseCode.ReadWrite);
    }

    private static void Untagged(ImapSession session, ImapResponseCode code) =>
        session.Write(new ImapStatusResponse(null, ImapStatus.Ok, code, code.Name));
}
