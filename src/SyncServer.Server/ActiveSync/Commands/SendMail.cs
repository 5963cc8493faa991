using System.Xml.Linq;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// SendMail (MS-ASCMD 2.2.1.17; client-requirements EAS-SM-01): the client's MIME as it is (Date and Message-ID
/// added when missing, Bcc removed), through <see cref="MailSubmission"/>; a copy in Sent Items with
/// SaveInSentItems. Success is an empty 200.
/// </summary>
public sealed class SendMail(MailSubmission submission) : IActiveSyncCommand
{
    public string Name => "SendMail";

    public XName Root => ActiveSyncNamespaces.ComposeMail + "SendMail";

    public async Task<ActiveSyncResponse> HandleAsync(ActiveSyncRequest request, CancellationToken cancellationToken)
    {
        if (ComposeRequest.Read(request) is not { } compose)
            return MailSubmission.Failure(request, Root, request.Body is null ? MailSubmission.InvalidContent : MailSubmission.InvalidXml);
        if (MailSubmission.Parse(compose.Mime) is not { } message)
            return MailSubmission.Failure(request, Root, MailSubmission.InvalidMime);
        return await submission.SendAsync(request, Root, compose, message, cancellationToken) ?? ActiveSyncResponse.Empty;
    }
}
