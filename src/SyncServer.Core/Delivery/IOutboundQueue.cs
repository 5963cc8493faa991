using SyncServer.Core.Model;

namespace SyncServer.Core.Delivery;

/// <summary>
/// Where local delivery hands recipients of other domains: a persistent queue that a worker delivers to their
/// mail exchangers, with retries and DSNs. The message body is already a durable blob.
/// </summary>
public interface IOutboundQueue
{
    /// <summary>
    /// Queues the blob for <paramref name="recipients"/> from <paramref name="mailFrom"/> (null for <c>&lt;&gt;</c>).
    /// Durable when it returns: a restart delivers it.
    /// </summary>
    Task<QueuedMessageId> EnqueueAsync(string? mailFrom, IReadOnlyList<OutboundRecipient> recipients, BlobId blob, DsnEnvelope? dsn,
        CancellationToken cancellationToken);
}

/// <summary>A recipient for the outbound queue with its RCPT TO DSN parameters, passed on to the next hop.</summary>
public sealed record OutboundRecipient(string Address, DsnRecipient? Dsn);
