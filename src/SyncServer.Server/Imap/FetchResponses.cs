using SyncServer.Core.Model;
using SyncServer.Protocols.Imap;
using SyncServer.Server.Imap.Messages;

namespace SyncServer.Server.Imap;

/// <summary>The unsolicited FETCH a session sends when a message's flags changed (STORE, or another session).</summary>
public static class FetchResponses
{
    public static ImapFetchResponse FlagsUpdate(uint sequenceNumber, Item item, ImapSession session)
    {
        // UID is included so a client can tell which message it is even in the middle of a UID command.
        var items = new List<KeyValuePair<string, ImapValue>>
        {
            new("UID", ImapValue.Number(item.ImapUid.Value)),
            new("FLAGS", MessageFlags.Value(item.Mail)),
        };
        if (session.CondStore)
            items.Add(new("MODSEQ", ImapValue.List(ImapValue.Number((ulong)item.ModSeq.Value))));
        return new ImapFetchResponse(sequenceNumber, items);
    }
}
