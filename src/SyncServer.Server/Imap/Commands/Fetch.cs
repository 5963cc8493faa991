using SyncServer.Core.Model;
using SyncServer.Protocols.Imap;
using SyncServer.Server.Imap.Messages;

namespace SyncServer.Server.Imap.Commands;

/// <summary>
/// FETCH and UID FETCH (RFC 9051 §6.4.5, §6.4.9) with BINARY (RFC 3516), CHANGEDSINCE (RFC 7162 §3.1.4) and
/// VANISHED (§3.2.6).
/// </summary>
public static class FetchCommand
{
    public static async Task HandleAsync(ImapSession session, Fetch command, CancellationToken cancellationToken)
    {
        if (command.Vanished && !session.QResync)
        {
            session.Bad(command.Tag, "VANISHED needs ENABLE QRESYNC");
            return;
        }
        var view = session.Selected!;
        var attributes = command.Attributes.ToList();
        if (command.ChangedSince is not null || attributes.Contains(new FetchItem(ImapFetchItem.ModSeq)))
            session.CondStore = true;
        // UID FETCH always answers with the UID, CHANGEDSINCE with the MODSEQ (RFC 9051 §6.4.9, RFC 7162 §3.1.4.1).
        if (command.Uid && !attributes.Contains(new FetchItem(ImapFetchItem.Uid)))
            attributes.Add(new FetchItem(ImapFetchItem.Uid));
        if (command.ChangedSince is not null && !attributes.Contains(new FetchItem(ImapFetchItem.ModSeq)))
            attributes.Add(new FetchItem(ImapFetchItem.ModSeq));
        // Without the s right (RFC 4314 §4) a body fetch leaves \Seen as it is.
        var setSeen = FetchItems.SetSeen(attributes) && !view.ReadOnly && view.Mailbox.Has(GrantRights.Seen);
        var needContent = FetchItems.NeedContent(attributes);
        if (command.Vanished && await view.VanishedSinceAsync(session.Services.Store, new ModSeq((long)Math.Min(command.ChangedSince!.Value, long.MaxValue)), command.Set, cancellationToken) is { } vanished)
            session.Write(new ImapVanishedResponse(vanished, Earlier: true));

        foreach (var (sequenceNumber, listed) in view.Resolve(command.Set, command.Uid))
        {
            if (command.ChangedSince is { } since && (ulong)listed.ModSeq.Value <= since)
                continue;
            var item = listed;
            await using var content = needContent ? await MessageContent.LoadAsync(session.Services.Blobs, item, cancellationToken) : null;
            if (content is not null && FetchItems.HasUnknownEncoding(content, attributes))
            {
                session.No(command.Tag, "Unknown content transfer encoding", ImapResponseCode.UnknownCte);
                return;
            }
            var items = await FetchItems.BuildAsync(item, content, attributes, cancellationToken);
            if (setSeen && item.Mail is { } mail && !mail.Flags.HasFlag(MailFlags.Seen))
            {
                item = await MarkSeenAsync(session, view.Mailbox.Owner, item, cancellationToken);
                view.Update(item);
                // The flag change is part of this response (RFC 9051 §6.4.5), with the new MODSEQ when in use.
                items.RemoveAll(i => i.Key is "FLAGS" or "MODSEQ");
                items.Add(new("FLAGS", MessageFlags.Value(item.Mail)));
                if (session.CondStore)
                    items.Add(new("MODSEQ", ImapValue.List(ImapValue.Number((ulong)item.ModSeq.Value))));
            }
            await WriteAsync(session.Connection, sequenceNumber, items, cancellationToken);
        }
        await session.OkAsync(command.Tag, "FETCH completed");
    }

    /// <summary>
    /// One message's FETCH response, flushed as it is written: a large section goes out in chunks read from the
    /// store (<see cref="StreamedLiteral"/>), so a large FETCH holds one chunk at a time, not a message.
    /// </summary>
    private static async Task WriteAsync(ImapConnection connection, uint sequenceNumber, List<KeyValuePair<string, ImapValue>> items, CancellationToken cancellationToken)
    {
        if (!items.Any(i => i.Value is StreamedLiteral))
        {
            connection.Write(new ImapFetchResponse(sequenceNumber, items));
            await connection.FlushAsync(cancellationToken);
            return;
        }
        ImapResponseWriter.WriteFetchStart(connection.Output, sequenceNumber);
        for (var i = 0; i < items.Count; i++)
        {
            ImapResponseWriter.WriteFetchItemName(connection.Output, items[i].Key, first: i == 0);
            if (items[i].Value is StreamedLiteral literal)
                await literal.WriteAsync(connection.Output, cancellationToken);
            else
                ImapValueWriter.Write(connection.Output, items[i].Value);
        }
        ImapResponseWriter.WriteFetchEnd(connection.Output);
        await connection.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Adds \Seen to the flags as they are under the owner account's write lock, not as this session last saw them, so
    /// a flag another session stored in between is kept (no lost update).
    /// </summary>
    private static async Task<Item> MarkSeenAsync(ImapSession session, AccountId owner, Item item, CancellationToken cancellationToken)
    {
        await using var transaction = await session.Services.Store.BeginAsync(owner, cancellationToken);
        var current = await session.Services.Store.GetItemAsync(item.Id, cancellationToken);
        if (current?.Mail is not { } mail || mail.Flags.HasFlag(MailFlags.Seen))
            return current ?? item;
        var updated = await transaction.UpdateItemAsync(item.Id, new ItemUpdate(Mail: mail with { Flags = mail.Flags | MailFlags.Seen }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return updated;
    }
}
