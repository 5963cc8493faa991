using System.Xml.Linq;
using SyncServer.Core.Model;
using SyncServer.Protocols.ActiveSync.Wbxml;
using SyncServer.Server.ActiveSync.Mapping;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// SmartReply (MS-ASCMD 2.2.1.20; client-requirements EAS-SM-02): the client's reply with the original, named by
/// Source (FolderId + ItemId, or LongId), quoted below it unless ReplaceMime is present; the original is marked
/// answered. A missing original is status 150.
/// </summary>
public sealed class SmartReply(SmartSource source) : IActiveSyncCommand
{
    public string Name => "SmartReply";

    public XName Root => ActiveSyncNamespaces.ComposeMail + "SmartReply";

    public Task<ActiveSyncResponse> HandleAsync(ActiveSyncRequest request, CancellationToken cancellationToken)
        => source.SendAsync(request, Root, SmartMessage.AppendQuoted, mail => mail with { Flags = mail.Flags | MailFlags.Answered }, cancellationToken);
}
