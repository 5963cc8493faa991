using SyncServer.Core.MailAuth;
using SyncServer.Core.Model;

namespace SyncServer.Core.Delivery;

/// <summary>
/// One message on its way into the store: recipients are resolved as they are added, the body is spooled to a
/// temporary file, and <see cref="CommitAsync"/> stores it (LocalDelivery.Commit.cs).
/// </summary>
internal sealed partial class LocalDelivery(
    LocalDeliveryTarget target,
    DeliveryOrigin origin,
    string? mailFrom,
    DsnEnvelope? dsn,
    DeliveryStatus senderStatus,
    RecipientResolver resolver) : IDelivery
{
    private readonly List<AcceptedRecipient> _recipients = [];
    private MessageSpool? _spool;
    private bool _finished;

    public async Task<DeliveryStatus> AddRecipientAsync(string address, DsnRecipient? dsnRecipient, CancellationToken cancellationToken)
    {
        EnsureOpen();
        if (!senderStatus.IsSuccess)
            return senderStatus;
        if (_recipients.Count >= target.Options.MaxRecipients)
            return DeliveryStatus.TooManyRecipients;
        var resolution = await resolver.ResolveAsync(address, cancellationToken);
        if (resolution.Status.IsSuccess)
            _recipients.Add(new AcceptedRecipient(address, dsnRecipient, resolution.Destinations));
        return resolution.Status;
    }

    public ValueTask WriteBodyAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        EnsureOpen();
        return Spool().WriteAsync(bytes, cancellationToken);
    }

    public async Task<IReadOnlyList<RecipientStatus>> CommitAsync(CancellationToken cancellationToken)
    {
        EnsureOpen();
        _finished = true;
        if (_recipients.Count == 0)
            return [];
        await Spool().FinishAsync(cancellationToken);
        var spool = await SignAsync(cancellationToken);
        var verdict = await AuthenticateAsync(spool, cancellationToken);
        if (verdict is { DmarcFailed: true, Dmarc.Policy: DmarcPolicy.Reject } && target.Options.EnforceDmarcReject)
            return _recipients.Select(r => new RecipientStatus(r.Address, DeliveryStatus.DmarcRejected)).ToList();
        var filtered = await FilterAsync(spool, cancellationToken);
        if (filtered.Refusal is { } refusal)
            return _recipients.Select(r => new RecipientStatus(r.Address, refusal)).ToList();
        var outcomes = await StoreAsync(spool, verdict, filtered, cancellationToken);
        var statuses = _recipients.Select(r => new RecipientStatus(r.Address, StatusOf(r, outcomes))).ToList();
        await BounceFailedAsync(statuses, outcomes);
        await FinishAsync(outcomes);
        return statuses;
    }

    public async ValueTask DisposeAsync()
    {
        _finished = true;
        if (_spool is not null)
            await _spool.DisposeAsync();
    }

    private MessageSpool Spool() => _spool ??= MessageSpool.Create(target.Options.TempDirectory);

    private void EnsureOpen()
    {
        if (_finished)
            throw new InvalidOperationException("the delivery was committed or disposed");
    }

    /// <summary>
    /// A recipient's answer: the first failure among its destinations, else delivered. A quota refusal of a mailbox
    /// reached through a list only costs that member its copy (see <see cref="RecipientResolver"/>). Another failure
    /// fails the whole recipient temporarily even when other destinations got their copy: the retry may duplicate
    /// those, which is better than losing one.
    /// </summary>
    private static DeliveryStatus StatusOf(AcceptedRecipient recipient, Outcomes outcomes)
    {
        foreach (var destination in recipient.Destinations)
        {
            var status = destination switch
            {
                MailboxDestination { ViaList: true } m when outcomes.Mailboxes[m.Account.Id] == DeliveryStatus.MailboxFull => DeliveryStatus.Delivered,
                MailboxDestination m => outcomes.Mailboxes[m.Account.Id],
                _ => outcomes.Relay,
            };
            if (!status.IsSuccess)
                return status;
        }
        return DeliveryStatus.Delivered;
    }

    private sealed record AcceptedRecipient(string Address, DsnRecipient? Dsn, IReadOnlyList<Destination> Destinations);

    /// <summary>
    /// What commit did: one status per mailbox (each stored at most once) and one for the relay hand-over; the blob
    /// and trace lines every copy got.
    /// </summary>
    /// <summary>What storing did; <see cref="Unfinished"/> names the delivery when its copies were written as unfinished.</summary>
    private sealed record Outcomes(IReadOnlyDictionary<AccountId, DeliveryStatus> Mailboxes, DeliveryStatus Relay, (BlobId Id, long Size) Blob,
        string Trace, DeliveryId? Unfinished);
}
