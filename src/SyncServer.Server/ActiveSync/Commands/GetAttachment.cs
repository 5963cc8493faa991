using System.Xml.Linq;
using SyncServer.Core.Store;
using SyncServer.Protocols.ActiveSync.Http;
using SyncServer.Protocols.ActiveSync.Wbxml;
using SyncServer.Server.ActiveSync.Mapping;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// GetAttachment (MS-ASCMD 2.2.1.7; client-requirements EAS-GA-01), protocol 14.1 and earlier: the
/// <c>AttachmentName</c> of the request line is a FileReference; the answer is the attachment's decoded bytes with
/// its content type. No request body. GetAttachment has no status element: a missing name is 400, an unknown or
/// foreign attachment 500 (as Exchange-style servers answer it), and 16.0+ clients, which must use ItemOperations, 400.
/// </summary>
public sealed class GetAttachment(IStore store, IBlobStore blobs) : IActiveSyncCommand
{
    public string Name => "GetAttachment";

    /// <summary>GetAttachment has no WBXML; a provisioning refusal (14.x) is still answered in a document, as for ItemOperations.</summary>
    public XName Root => ActiveSyncNamespaces.ItemOperations + "ItemOperations";

    public async Task<ActiveSyncResponse> HandleAsync(ActiveSyncRequest request, CancellationToken cancellationToken)
    {
        if (request.Version >= ActiveSyncVersion.V16_0 || request.Query.AttachmentName is not { } name)
            return ActiveSyncResponse.Http(StatusCodes.Status400BadRequest);
        if (await MailAttachments.FindAsync(store, blobs, request.Account.Id, name, cancellationToken) is not { } attachment)
            return ActiveSyncResponse.Http(StatusCodes.Status500InternalServerError);
        return new ActiveSyncResponse((XElement?)null) { Content = (attachment.ContentType, attachment.Content()) };
    }
}
