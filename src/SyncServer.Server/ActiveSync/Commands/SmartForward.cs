using System.Xml.Linq;
using SyncServer.Protocols.ActiveSync.Wbxml;
using SyncServer.Server.ActiveSync.Mapping;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// SmartForward (MS-ASCMD 2.2.1.19; client-requirements EAS-SM-02): the client's message with the original, named
/// by Source, appended below it and all of the original's attachments kept, unless ReplaceMime is present; the
/// original gets the <c>$Forwarded</c> keyword and LastVerbExecuted 3. A missing original is status 150.
/// </summary>
public sealed class SmartForward(SmartSource source) : IActiveSyncCommand
{
    public string Name => "SmartForward";

    public XName Root => ActiveSyncNamespaces.ComposeMail + "SmartForward";

    public Task<ActiveSyncResponse> HandleAsync(ActiveSyncRequest request, CancellationToken cancellationToken)
        => source.SendAsync(request, Root, SmartMessage.AppendForwarded, _ => LastVerb.Forward, cancellationToken);
}
