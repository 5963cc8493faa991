using SyncServer.Core.Model;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>STATUS (RFC 9051 §6.3.11, STATUS=SIZE RFC 8438, HIGHESTMODSEQ RFC 7162 §3.1.2.2).</summary>
public static class StatusCommand
{
    public static async Task HandleAsync(ImapSession session, Status command, CancellationToken cancellationToken)
    {
        if (session.MailboxName(command.Tag, command.Mailbox) is not { } name || await session.FindMailboxAsync(command.Tag, name, cancellationToken) is not { } mailbox)
            return;
        if (!session.Allowed(command.Tag, mailbox, GrantRights.Read))
            return;
        await WriteStatusAsync(session, mailbox, command.Items, cancellationToken);
        await session.OkAsync(command.Tag, "STATUS completed");
    }

    public static async Task WriteStatusAsync(ImapSession session, Mailbox mailbox, IReadOnlyList<ImapStatusItem> items, CancellationToken cancellationToken)
    {
        var view = await MailboxView.OpenAsync(session.Services.Store, mailbox, readOnly: true, cancellationToken);
        var messages = view.Messages;
        var values = items.Distinct().Select(item => new KeyValuePair<ImapStatusItem, ulong>(item, item switch
        {
            ImapStatusItem.Messages => (ulong)messages.Count,
            ImapStatusItem.UidNext => view.Collection.NextUid.Value,
            ImapStatusItem.UidValidity => view.Collection.UidValidity.Value,
            ImapStatusItem.Unseen => (ulong)messages.Count(m => !Has(m, MailFlags.Seen)),
            ImapStatusItem.Deleted => (ulong)messages.Count(m => Has(m, MailFlags.Deleted)),
            ImapStatusItem.Size => (ulong)messages.Sum(m => m.Size),
            ImapStatusItem.HighestModSeq => (ulong)view.HighestModSeq.Value,
            _ => 0, // RECENT: no message is ever recent here
        })).ToList();
        session.Write(new ImapStatusDataResponse(session.WireName(mailbox.Path), values));
    }

    private static bool Has(Item item, MailFlags flag) => item.Mail?.Flags.HasFlag(flag) == true;
}
