using System.Xml.Linq;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.ActiveSync.Http;
using SyncServer.Protocols.ActiveSync.Wbxml;
using SyncServer.Server.ActiveSync.Mapping;
using SyncServer.Server.Scheduling;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// MeetingResponse (MS-ASCMD 2.2.1.11; client-requirements EAS-MR-01): the user accepts (1), tentatively accepts (2) or
/// declines (3) the invitation mail RequestId (or the Search LongId) names. Scheduling's <see cref="CalendarScheduler.AnswerAsync"/>
/// writes the answer into the user's copy of the event (made from the mail when there is none; removed on a decline, as
/// Exchange does), and the invitation moves to Deleted Items, as Exchange moves it. 12.1–14.1 clients send the iMIP reply
/// themselves with SendMail, so the server sends nothing (grommunio-sync#16: a second reply); a 16.x client's SendResponse
/// asks the server to send it. Per Request: 1 success, 2 invalid request (no such mail, not an invitation to the user, an
/// InstanceId: calendar items are not served yet), 3 mailbox error (no default calendar), 4 server error (the event changed
/// under the answer).
/// </summary>
public sealed partial class MeetingResponse(IStore store, IBlobStore blobs, CalendarScheduler scheduler, ILogger<MeetingResponse> logger) : IActiveSyncCommand
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.MeetingResponse;
    private const int Success = 1, InvalidRequest = 2, MailboxError = 3, ServerError = 4;

    public string Name => "MeetingResponse";

    public XName Root => Ns + "MeetingResponse";

    public async Task<ActiveSyncResponse> HandleAsync(ActiveSyncRequest request, CancellationToken cancellationToken)
    {
        var answers = request.Body?.Elements().ToList() ?? [];
        if (answers.Count == 0 || answers.Any(a => a.Name != Ns + "Request"))
            return ActiveSyncResponse.Http(StatusCodes.Status400BadRequest);
        var results = new List<XElement>();
        foreach (var answer in answers)
        {
            var requestId = (string?)answer.Element(Ns + "RequestId") ?? (string?)answer.Element(ActiveSyncNamespaces.Search + "LongId");
            var (status, calendarId) = await AnswerAsync(request, answer, requestId, cancellationToken);
            results.Add(new XElement(Ns + "Result",
                requestId is null ? null : new XElement(Ns + "RequestId", requestId),
                new XElement(Ns + "Status", status),
                calendarId is null ? null : new XElement(Ns + "CalendarId", calendarId)));
        }
        return new ActiveSyncResponse(new XElement(Root, results));
    }

    private async Task<(int Status, string? CalendarId)> AnswerAsync(ActiveSyncRequest request, XElement answer, string? requestId, CancellationToken cancellationToken)
    {
        var partStat = (string?)answer.Element(Ns + "UserResponse") switch { "1" => "ACCEPTED", "2" => "TENTATIVE", "3" => "DECLINED", _ => null };
        var collectionId = answer.Element(Ns + "RequestId") is null ? null : (string?)answer.Element(Ns + "CollectionId");
        if (partStat is null || requestId is null || answer.Element(Ns + "InstanceId") is not null
            || await StoredMessage.FindAsync(store, request.Account.Id, collectionId, requestId, cancellationToken) is not { } item)
            return (InvalidRequest, null);
        var mail = await StoredMessage.LoadAsync(item, blobs, cancellationToken);
        if (MeetingRequestRecord.Read(item, mail.Message)?.Message is not { Method: "REQUEST" } invitation)
            return (InvalidRequest, null);
        var sendReply = request.Version >= ActiveSyncVersion.V16_0 && answer.Element(Ns + "SendResponse") is not null;
        AttendeeAnswer? answered;
        try
        {
            answered = await scheduler.AnswerAsync(request.Account, invitation, partStat, sendReply, cancellationToken);
        }
        catch (Exception e) when (e is StoreNotFoundException or StoreConflictException)
        {
            AnswerFailed(logger, e, invitation.Uid, request.Account.Address);
            return (ServerError, null);
        }
        if (answered is null)
            return (InvalidRequest, null);
        if (!answered.Stored)
            return (MailboxError, null);
        await MoveToDeletedItemsAsync(request.Account.Id, item, cancellationToken);
        Answered(logger, request.Account.Address, invitation.Uid, partStat, sendReply);
        return (Success, answered.Event is { } stored ? ItemServerId.Format(stored.CollectionId, stored.Id) : null);
    }

    /// <summary>The answered invitation goes to Deleted Items (Exchange does so; iOS expects it gone from the Inbox). The device learns it by its next Sync.</summary>
    private async Task MoveToDeletedItemsAsync(AccountId account, Item item, CancellationToken cancellationToken)
    {
        var collections = await store.ListCollectionsAsync(account, cancellationToken);
        if (collections.FirstOrDefault(c => c.Role == CollectionRole.Trash) is not { } trash || trash.Id == item.CollectionId)
            return;
        try
        {
            await using var transaction = await store.BeginAsync(account, cancellationToken);
            await transaction.MoveItemAsync(item.Id, trash.Id, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (StoreNotFoundException)
        {
            // moved or deleted by another client in between: the answer stands
        }
    }

    [LoggerMessage(6250, LogLevel.Information, "ActiveSync MeetingResponse of {Account} to {Uid}: {PartStat} (reply sent by the server: {ReplySent})")]
    private static partial void Answered(ILogger logger, string account, string uid, string partStat, bool replySent);

    [LoggerMessage(6251, LogLevel.Warning, "ActiveSync MeetingResponse to {Uid} of {Account} failed")]
    private static partial void AnswerFailed(ILogger logger, Exception exception, string uid, string account);
}
