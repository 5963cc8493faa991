using SyncServer.Core.MailAuth;
using SyncServer.Core.Store;

namespace SyncServer.Core.Delivery;

/// <summary>
/// Delivery into this server's store (issue 3 items 3–5): recipients resolved through the directory, list posting
/// policies, the submission sender rule, quota, duplicate suppression, one blob per message with per-copy trace
/// headers, one store transaction per recipient account. Remote recipients go to the <see cref="IRelayQueue"/>
/// when there is one, the <see cref="ContentFilter"/>, when there is one, can refuse a message or file it into Junk, and the
/// <see cref="IMessageSigner"/>, when there is one, signs submitted mail. With an <see cref="InboundAuthenticator"/>,
/// mail on the MX channel gets SPF, DKIM and DMARC checked and reported. The <see cref="IDeliveredMessageObserver"/>, when
/// there is one, is told of each copy filed.
/// </summary>
public sealed class LocalDeliveryTarget(
    IStore store,
    IDirectoryStore directory,
    IBlobStore blobs,
    TimeProvider time,
    DeliveryOptions options,
    IRelayQueue? relay = null,
    ContentFilter? filter = null,
    IMessageSigner? signer = null,
    InboundAuthenticator? authentication = null,
    IDeliveredMessageObserver? observer = null) : IDeliveryTarget
{
    internal IStore Store => store;
    internal IDirectoryStore Directory => directory;
    internal IBlobStore Blobs => blobs;
    internal TimeProvider Time => time;
    internal DeliveryOptions Options => options;
    internal IRelayQueue? Relay => relay;
    internal ContentFilter? Filter => filter;
    internal IMessageSigner? Signer => signer;
    internal InboundAuthenticator? Authentication => authentication;
    internal IDeliveredMessageObserver? Observer => observer;

    public Task<DeliveryStatus> CheckSenderAsync(DeliveryOrigin origin, string? mailFrom, CancellationToken cancellationToken)
        => SenderRules.CheckAsync(directory, origin, mailFrom, cancellationToken);

    public async Task<IDelivery> BeginAsync(DeliveryOrigin origin, string? mailFrom, DsnEnvelope? dsn, CancellationToken cancellationToken)
    {
        var sender = await CheckSenderAsync(origin, mailFrom, cancellationToken);
        var resolver = new RecipientResolver(directory, options, origin, mailFrom, canRelay: relay is not null);
        return new LocalDelivery(this, origin, mailFrom, dsn, sender, resolver);
    }
}
