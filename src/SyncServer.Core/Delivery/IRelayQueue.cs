using SyncServer.Core.Model;

namespace SyncServer.Core.Delivery;

/// <summary>
/// Where local delivery hands recipients it cannot store here: addresses in domains we do not serve, reached by
/// submission or internal mail, or by expanding an alias or a distribution list. The outbound queue implements it.
/// Without an implementation such recipients are answered <see cref="DeliveryStatus.RelayUnavailable"/> (451 4.3.0),
/// so the sender keeps the message and retries.
/// </summary>
public interface IRelayQueue
{
    /// <summary>
    /// Queues one message for its remote recipients. The blob is already durable; the queue must be durable when a
    /// 2xx status is returned (one status covers every recipient of the call). The queue must keep the blob
    /// referenced, or the blob sweep may remove it.
    /// </summary>
    Task<DeliveryStatus> EnqueueAsync(RelayMessage message, CancellationToken cancellationToken);

    /// <summary>The delivery that queued messages under <see cref="RelayMessage.UnfinishedDelivery"/> has finished: they may go now.</summary>
    void DeliveryFinished();
}

/// <summary>
/// A message to relay. Its bytes are <see cref="HeaderPrefix"/> (our <c>Received:</c> line) then the blob of
/// <see cref="BlobSize"/> bytes. <see cref="MailFrom"/> is null for the null reverse path. A message queued by a
/// delivery that is still filing copies names it in <see cref="UnfinishedDelivery"/>: it is not sent before the
/// delivery finishes, and is removed if it never does.
/// </summary>
public sealed record RelayMessage(
    string? MailFrom,
    IReadOnlyList<RelayRecipient> Recipients,
    BlobId Blob,
    long BlobSize,
    ReadOnlyMemory<byte> HeaderPrefix,
    DsnEnvelope? Dsn,
    DeliveryId? UnfinishedDelivery = null);

/// <summary>
/// One remote recipient. <see cref="Dsn"/> is the RCPT's DSN parameters when the sender named this address
/// itself, null when it was reached by expanding an alias or list (RFC 3461 §6.2.7: expansion ends the chain).
/// <see cref="Failure"/> is set for a recipient that already failed here (a local one that failed at commit while
/// others got the message): it is queued failed, never sent, only so the sender gets the bounce.
/// </summary>
public sealed record RelayRecipient(string Address, DsnRecipient? Dsn, DeliveryStatus? Failure = null);
