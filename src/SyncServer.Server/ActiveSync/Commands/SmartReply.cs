using System.Xml.Linq;
using MimeKit;
using SyncServer.Protocols.ActiveSync.Wbxml;
using SyncServer.Server.ActiveSync.Mapping;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// SmartReply (MS-ASCMD 2.2.1.20; client-requirements EAS-SM-02): the client's reply with the original, named by
/// Source (FolderId + ItemId, or LongId), quoted below it unless ReplaceMime is present; the original is marked
/// <c>\Answered</c> with LastVerbExecuted 1, or 2 (reply to all) when the reply goes to more than one address. A
/// missing original is status 150.
/// </summary>
public sealed class SmartReply(SmartSource source) : IActiveSyncCommand
{
    public string Name => "SmartReply";

    public XName Root => ActiveSyncNamespaces.ComposeMail + "SmartReply";

    public Task<ActiveSyncResponse> HandleAsync(ActiveSyncRequest request, CancellationToken cancellationToken)
        => source.SendAsync(request, Root, SmartMessage.AppendQuoted, Verb, cancellationToken);

    private static int Verb(MimeMessage reply)
        => reply.To.Mailboxes.Concat(reply.Cc.Mailboxes).Select(m => m.Address).Distinct(StringComparer.OrdinalIgnoreCase).Count() > 1
            ? LastVerb.ReplyToAll
            : LastVerb.ReplyToSender;
}
