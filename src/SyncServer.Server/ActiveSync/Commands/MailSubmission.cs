using System.Text.Json;
using System.Xml.Linq;
using MimeKit;
using MimeKit.Utils;
using SyncServer.Core.Delivery;
using SyncServer.Core.Mail;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.ActiveSync.Http;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// What SendMail, SmartReply and SmartForward carry (MS-ASCMD 2.2.1.17, .19, .20; client-requirements EAS-VER-20):
/// from 14.0 a ComposeMail document (ClientId, SaveInSentItems, Source, ReplaceMime, Mime as text or opaque); in
/// 12.1 the raw MIME as the body with <c>SaveInSent</c>, <c>CollectionId</c>, <c>ItemId</c>, <c>LongId</c> in the
/// request line.
/// </summary>
public sealed record ComposeRequest(
    ReadOnlyMemory<byte> Mime, string? ClientId, bool SaveInSentItems, string? FolderId, string? ItemId, string? LongId, bool ReplaceMime)
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.ComposeMail;

    /// <summary>The request, or null when it has no MIME (status 103, "invalid XML").</summary>
    public static ComposeRequest? Read(ActiveSyncRequest request)
    {
        if (request.Mime is { Length: > 0 } raw)
            return new ComposeRequest(raw, null, request.Query.SaveInSent, request.Query.CollectionId, request.Query.ItemId, request.Query.LongId, false);
        if (request.Body?.Element(Ns + "Mime") is not { } mime)
            return null;
        var source = request.Body.Element(Ns + "Source");
        return new ComposeRequest(WbxmlOpaque.GetBytes(mime), NonEmpty((string?)request.Body.Element(Ns + "ClientId")),
            request.Body.Element(Ns + "SaveInSentItems") is not null,
            NonEmpty((string?)source?.Element(Ns + "FolderId")), NonEmpty((string?)source?.Element(Ns + "ItemId")),
            NonEmpty((string?)source?.Element(Ns + "LongId")), request.Body.Element(Ns + "ReplaceMime") is not null);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>
/// Sends a composed message through Core's delivery service on the submission channel, so the sender rule
/// (the From must be the user's own address, an alias of it or an account granting SendAs) and DKIM signing are
/// the ones SMTP submission has. Recipients are To, Cc and Bcc; the Bcc header leaves with the Sent copy only. A
/// refused recipient refuses the whole message before anything is stored (there is no per-recipient answer in
/// ActiveSync). A ClientId already sent from the device is answered 118 and not sent again.
/// </summary>
public sealed partial class MailSubmission(
    IDeliveryTarget delivery, IStore store, IBlobStore blobs, IDeviceStore devices, TimeProvider time, ILogger<MailSubmission> logger)
{
    /// <summary>MS-ASCMD 2.2.2 common status codes these commands answer.</summary>
    public const int InvalidContent = 101, InvalidXml = 103, InvalidMime = 107, ServerError = 110, ServerErrorRetryLater = 111,
        MessageRecipientUnresolved = 116, MessagePreviouslySent = 118, MessageHasNoRecipient = 119, MailSubmissionFailed = 120,
        AccessDenied = 130, ItemNotFound = 150;

    /// <summary>The sync-state name under which a device's recently sent ClientIds are kept.</summary>
    private const string SentClientIds = "sendmail";
    private const int RememberedClientIds = 100;

    private static readonly FormatOptions WireFormat = CrlfOptions();

    /// <summary>Sends <paramref name="message"/>; null on success (an empty 200), else the failure answer.</summary>
    public async Task<ActiveSyncResponse?> SendAsync(ActiveSyncRequest request, XName root, ComposeRequest compose, MimeMessage message,
        CancellationToken cancellationToken)
    {
        var account = request.Account;
        var sent = compose.ClientId is null ? [] : await SentClientIdsAsync(request, cancellationToken);
        if (compose.ClientId is { } clientId && sent.Contains(clientId))
            return Failure(request, root, MessagePreviouslySent);

        if (message.From.Count == 0)
            message.From.Add(new MailboxAddress(account.DisplayName, account.Address));
        if (!message.Headers.Contains(HeaderId.Date))
            message.Date = time.GetUtcNow();
        if (string.IsNullOrEmpty(message.MessageId))
            message.MessageId = MimeUtils.GenerateMessageId(account.Address[(account.Address.IndexOf('@') + 1)..]);

        var from = message.From.Mailboxes.FirstOrDefault()?.Address;
        var origin = new DeliveryOrigin(DeliveryChannel.Submission, request.RemoteAddress, null, account.Address, IsTls: true);
        if (!(await delivery.CheckSenderAsync(origin, from, cancellationToken)).IsSuccess)
        {
            Refused(logger, root.LocalName, account.Address, "the From address is not the user's");
            return Failure(request, root, AccessDenied);
        }
        var recipients = message.To.Mailboxes.Concat(message.Cc.Mailboxes).Concat(message.Bcc.Mailboxes)
            .Select(m => m.Address).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (recipients.Count == 0)
            return Failure(request, root, MessageHasNoRecipient);

        var sentCopy = Serialize(message);
        message.Headers.RemoveAll(HeaderId.Bcc);
        var outgoing = Serialize(message);
        try
        {
            await using var transaction = await delivery.BeginAsync(origin, from, null, cancellationToken);
            foreach (var recipient in recipients)
            {
                var status = await transaction.AddRecipientAsync(recipient, null, cancellationToken);
                if (!status.IsSuccess)
                {
                    Refused(logger, root.LocalName, account.Address, $"recipient refused: {status.Code} {status.EnhancedCode} {status.Text}");
                    return Failure(request, root, status.IsTransient ? ServerErrorRetryLater : MessageRecipientUnresolved);
                }
            }
            await transaction.WriteBodyAsync(outgoing, cancellationToken);
            var results = await transaction.CommitAsync(cancellationToken);
            if (results.All(r => !r.Status.IsSuccess))
                return Failure(request, root, MailSubmissionFailed);
        }
        catch (Exception exception) when (exception is IOException or StoreNotFoundException or StoreConflictException)
        {
            DeliveryFailed(logger, exception, root.LocalName, account.Address);
            return Failure(request, root, ServerError);
        }
        Sent(logger, root.LocalName, account.Address, recipients.Count);

        if (compose.ClientId is { } id)
            await RememberAsync(request, sent, id, cancellationToken);
        if (compose.SaveInSentItems)
            await SaveInSentItemsAsync(account.Id, sentCopy, cancellationToken);
        return null;
    }

    /// <summary>
    /// The failure answer: from 14.0 the command's own Status; 12.1 has no response body for these commands and
    /// reads an HTTP status (400 for a bad request, 403 for a refused sender, else 500).
    /// </summary>
    public static ActiveSyncResponse Failure(ActiveSyncRequest request, XName root, int status)
        => request.Version >= ActiveSyncVersion.V14_0
            ? new ActiveSyncResponse(new XElement(root, new XElement(root.Namespace + "Status", status)))
            : ActiveSyncResponse.Http(status switch
            {
                AccessDenied => StatusCodes.Status403Forbidden,
                < ServerError or MessageHasNoRecipient => StatusCodes.Status400BadRequest,
                _ => StatusCodes.Status500InternalServerError,
            });

    /// <summary>The client's MIME parsed, or null when MimeKit cannot read it (status 107).</summary>
    public static MimeMessage? Parse(ReadOnlyMemory<byte> mime)
    {
        try
        {
            return MimeMessage.Load(new MemoryStream(mime.ToArray(), writable: false));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private async Task SaveInSentItemsAsync(AccountId account, byte[] copy, CancellationToken cancellationToken)
    {
        if ((await store.ListCollectionsAsync(account, cancellationToken)).FirstOrDefault(c => c.Role == CollectionRole.Sent) is not { } sentItems)
            return;
        var index = MessageStructureParser.BuildIndex(new MemoryStream(copy, writable: false), MailFlags.Seen, []);
        var (blob, size) = await blobs.WriteAsync(new MemoryStream(copy, writable: false), cancellationToken);
        await using var transaction = await store.BeginAsync(account, cancellationToken);
        await transaction.AddItemAsync(sentItems.Id, new NewItem(blob, size, time.GetUtcNow(), Mail: index), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<List<string>> SentClientIdsAsync(ActiveSyncRequest request, CancellationToken cancellationToken)
        => await devices.GetSyncStateAsync(request.Account.Id, request.Device.DeviceId, SentClientIds, cancellationToken) is { Data: { } data }
            ? JsonSerializer.Deserialize<List<string>>(data) ?? []
            : [];

    private Task RememberAsync(ActiveSyncRequest request, List<string> sent, string clientId, CancellationToken cancellationToken)
    {
        sent.Add(clientId);
        var kept = sent.Skip(Math.Max(0, sent.Count - RememberedClientIds)).ToList();
        return devices.SaveSyncStateAsync(new SyncState(request.Account.Id, request.Device.DeviceId, SentClientIds, 0, default, default,
            JsonSerializer.Serialize(kept)), cancellationToken);
    }

    /// <summary>The message as mail travels and is stored: CRLF line ends, whatever the client sent.</summary>
    private static byte[] Serialize(MimeMessage message)
    {
        using var buffer = new MemoryStream();
        message.WriteTo(WireFormat, buffer);
        return buffer.ToArray();
    }

    private static FormatOptions CrlfOptions()
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        return options;
    }

    [LoggerMessage(6100, LogLevel.Information, "ActiveSync {Command} of {Account} sent to {Recipients} recipients")]
    private static partial void Sent(ILogger logger, string command, string account, int recipients);

    [LoggerMessage(6101, LogLevel.Information, "ActiveSync {Command} of {Account} refused: {Reason}")]
    private static partial void Refused(ILogger logger, string command, string account, string reason);

    [LoggerMessage(6102, LogLevel.Error, "ActiveSync {Command} of {Account}: delivery failed")]
    private static partial void DeliveryFailed(ILogger logger, Exception exception, string command, string account);
}
