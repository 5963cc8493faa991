using System.Xml.Linq;
using MimeKit;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Server.ActiveSync.Mapping;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// The part SmartReply and SmartForward share: find the original (Source FolderId + ItemId, or a LongId, which is
/// a ServerId here; InstanceId names a meeting occurrence and is not needed for mail), combine it with the
/// client's MIME unless ReplaceMime, send, then mark the original with the verb (<c>\Answered</c> or <c>$Forwarded</c>,
/// and the verb and its time for <c>email2:LastVerbExecuted</c>).
/// </summary>
public sealed class SmartSource(MailSubmission submission, IStore store, IBlobStore blobs, TimeProvider time)
{
    public async Task<ActiveSyncResponse> SendAsync(ActiveSyncRequest request, XName root, Action<MimeMessage, MimeMessage> combine,
        Func<MimeMessage, int> verb, CancellationToken cancellationToken)
    {
        if (ComposeRequest.Read(request) is not { } compose)
            return MailSubmission.Failure(request, root, request.Body is null ? MailSubmission.InvalidContent : MailSubmission.InvalidXml);
        if (MailSubmission.Parse(compose.Mime) is not { } message)
            return MailSubmission.Failure(request, root, MailSubmission.InvalidMime);
        var original = compose.LongId is { } longId
            ? await StoredMessage.FindAsync(store, request.Account.Id, null, longId, cancellationToken)
            : await StoredMessage.FindAsync(store, request.Account.Id, compose.FolderId, compose.ItemId, cancellationToken);
        if (original is null)
            return MailSubmission.Failure(request, root, MailSubmission.ItemNotFound);
        if (!compose.ReplaceMime)
            combine(message, (await StoredMessage.LoadAsync(original, blobs, cancellationToken)).Message);

        if (await submission.SendAsync(request, root, compose, message, cancellationToken) is { } failure)
            return failure;
        if (await store.GetItemAsync(original.Id, cancellationToken) is { Mail: { } mail })
        {
            var executed = new LastVerb(verb(message), time.GetUtcNow());
            await using var transaction = await store.BeginAsync(request.Account.Id, cancellationToken);
            await transaction.SetItemPropertyAsync(original.Id, EmailItemState.Namespace, EmailItemState.VerbProperty, executed.ToXml(), cancellationToken);
            await transaction.UpdateItemAsync(original.Id, new ItemUpdate(Mail: executed.Mark(mail)), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return ActiveSyncResponse.Empty;
    }
}
