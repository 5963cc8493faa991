using SyncServer.Protocols.Imap;
using SyncServer.Server.Imap.Messages;

namespace SyncServer.Server.Imap.Commands;

/// <summary>
/// SORT and UID SORT (RFC 5256 §3) with every sort key, DISPLAYFROM and DISPLAYTO (RFC 5957); ties keep sequence
/// order.
/// </summary>
public static class SortCommand
{
    public static async Task HandleAsync(ImapSession session, Sort command, CancellationToken cancellationToken)
    {
        if (!SearchCommand.IsSupported(session, command.Tag, command.Charset))
            return;
        var view = session.Selected!;
        var messages = new List<(uint SequenceNumber, SortKeys Keys)>();
        foreach (var (sequenceNumber, item) in await SearchCommand.MatchAsync(session, view, command.Search, cancellationToken))
            messages.Add((sequenceNumber, await SortKeys.LoadAsync(session, item, cancellationToken)));
        messages.Sort((a, b) =>
        {
            foreach (var criterion in command.Criteria)
            {
                var order = Compare(criterion.Key, a.Keys, b.Keys);
                if (order != 0)
                    return criterion.Reverse ? -order : order;
            }
            return a.SequenceNumber.CompareTo(b.SequenceNumber);
        });
        var numbers = messages.Select(m => ImapValue.Number(command.Uid ? m.Keys.Item.ImapUid.Value : m.SequenceNumber)).ToList();
        session.Write(new ImapUntaggedDataResponse("SORT", numbers));
        await session.OkAsync(command.Tag, "SORT completed");
    }

    private static int Compare(SortKey key, SortKeys a, SortKeys b) => key switch
    {
        SortKey.Arrival => a.Item.InternalDate.CompareTo(b.Item.InternalDate),
        SortKey.Date => a.SentDate.CompareTo(b.SentDate),
        SortKey.Size => a.Item.Size.CompareTo(b.Item.Size),
        SortKey.Subject => SortKeys.Compare(a.BaseSubjectText, b.BaseSubjectText),
        SortKey.From => SortKeys.Compare(SortKeys.Mailbox(a.Envelope.From), SortKeys.Mailbox(b.Envelope.From)),
        SortKey.To => SortKeys.Compare(SortKeys.Mailbox(a.Envelope.To), SortKeys.Mailbox(b.Envelope.To)),
        SortKey.Cc => SortKeys.Compare(SortKeys.Mailbox(a.Envelope.Cc), SortKeys.Mailbox(b.Envelope.Cc)),
        SortKey.DisplayFrom => SortKeys.Compare(SortKeys.Display(a.Envelope.From), SortKeys.Display(b.Envelope.From)),
        _ => SortKeys.Compare(SortKeys.Display(a.Envelope.To), SortKeys.Display(b.Envelope.To)),
    };
}
