using System.Security.Cryptography;
using System.Text;
using SyncServer.Core.Directory;
using SyncServer.Core.Mail;
using SyncServer.Core.MailAuth;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Core.Delivery;

internal sealed partial class LocalDelivery
{
    /// <summary>
    /// Writes the body to the blob store once (fsync'd), then files one copy per distinct mailbox, each in its own
    /// store transaction (accounts are separate write paths), and hands remote recipients to the relay. Until the
    /// first copy is filed a failure throws (nothing is stored); after that each mailbox and the relay get their
    /// own status, so one failing account does not fail the others. The Authentication-Results line, when there is
    /// one, goes into every copy's trace prefix above our Received line, and the filters' header lines above that.
    /// With more than one copy to write, each is written as part of an unfinished delivery (<see cref="FinishAsync"/>):
    /// a crash between two of them rolls back the ones written, so the message is never delivered by halves.
    /// </summary>
    private async Task<Outcomes> StoreAsync(MessageSpool spool, AuthenticationVerdict? verdict, FilterVerdict filtered, CancellationToken cancellationToken)
    {
        (BlobId Id, long Size) blob;
        await using (var content = spool.OpenRead())
            blob = await target.Blobs.WriteAsync(content, cancellationToken);
        var now = target.Time.GetUtcNow();
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var trace = filtered.Headers + verdict?.Header + TraceHeaders.Received(origin, target.Options.ServerName, id, _recipients.Count == 1 ? _recipients[0].Address : null, now);

        var mailboxes = _recipients.SelectMany(r => r.Destinations).OfType<MailboxDestination>().DistinctBy(m => m.Account.Id).ToList();
        var relayed = RelayRecipients();
        DeliveryId? unfinished = mailboxes.Count + (relayed.Count > 0 ? 1 : 0) > 1 ? new DeliveryId(id) : null;
        var filed = new Dictionary<AccountId, DeliveryStatus>();
        if (mailboxes.Count > 0)
        {
            var index = await spool.ReadIndexAsync(cancellationToken);
            var junk = Quarantined(verdict) || filtered.Junk;
            var role = junk ? CollectionRole.Junk : CollectionRole.Inbox;
            // From here on copies are being stored: finish them all rather than stop half-way on a cancelled session.
            foreach (var mailbox in mailboxes)
            {
                var prefix = TraceHeaders.LocalPrefix(mailFrom, mailbox.Account.Address, trace);
                var item = new NewItem(blob.Id, blob.Size, now, Mail: index with { MimeStructure = await StructureAsync(prefix, blob.Id) },
                    HeaderPrefix: prefix, UnfinishedDelivery: unfinished);
                filed[mailbox.Account.Id] = await FileAsync(mailbox.Account.Id, role, item, CancellationToken.None);
            }
        }
        return new Outcomes(filed, await RelayAsync(relayed, blob, trace, unfinished, CancellationToken.None), blob, trace, unfinished);
    }

    /// <summary>
    /// The delivery's commit point, just before the SMTP answer: its unfinished copies and queued messages become
    /// ordinary ones, and the queue may send. If this fails, or the process dies before it, they are rolled back
    /// (<see cref="UnfinishedDeliveries"/>) and the exception makes the session answer a temporary failure.
    /// </summary>
    private async Task FinishAsync(Outcomes outcomes)
    {
        if (outcomes.Unfinished is not { } delivery)
            return;
        await target.Store.FinishDeliveryAsync(delivery, CancellationToken.None);
        target.Relay?.DeliveryFinished();
    }

    /// <summary>
    /// The part offsets IMAP serves sections from, computed once here over the copy's bytes as stored (its trace
    /// prefix, then the blob) rather than on every FETCH; null when MimeKit cannot parse the message at all.
    /// </summary>
    private async Task<string?> StructureAsync(byte[] prefix, BlobId blob)
    {
        await using var content = await ItemContent.OpenAsync(prefix, blob, target.Blobs, CancellationToken.None);
        try
        {
            return MessageStructureParser.ParseStructure(content).Serialize();
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Submitted mail from a domain we serve is DKIM-signed for that domain (RFC 6376): the spooled message is
    /// replaced by its signed rewrite. Mail from domains we do not serve is left as it is (their keys are not ours).
    /// </summary>
    private async Task<MessageSpool> SignAsync(CancellationToken cancellationToken)
    {
        var spool = Spool();
        if (origin.Channel != DeliveryChannel.Submission || target.Signer is not { } signer
            || !EmailAddress.TryParse(mailFrom, out var sender)
            || await target.Directory.GetDomainAsync(sender.Domain, cancellationToken) is null)
            return spool;
        MessageSpool signed;
        try
        {
            signed = await spool.RewriteAsync((input, output, ct) => signer.SignAsync(input, output, sender.Domain, ct), cancellationToken);
        }
        catch (FormatException)
        {
            // No header block MimeKit can parse, so nothing to sign: refusing would only make the client retry forever.
            return spool;
        }
        await signed.FinishAsync(cancellationToken);
        _spool = signed;
        await spool.DisposeAsync();
        return signed;
    }

    /// <summary>SPF, DKIM and DMARC for mail from another server (MX); submitted and internal mail is ours and not checked.</summary>
    private async Task<AuthenticationVerdict?> AuthenticateAsync(MessageSpool spool, CancellationToken cancellationToken)
    {
        if (origin.Channel != DeliveryChannel.Mx || origin.RemoteAddress is not { } ip || target.Authentication is null)
            return null;
        await using var message = spool.OpenRead();
        return await target.Authentication.CheckAsync(ip, origin.HeloName, mailFrom, message, cancellationToken);
    }

    /// <summary>A DMARC failure under p=quarantine, or under p=reject when rejecting is not enforced, goes to Junk (RFC 7489 §6.3).</summary>
    private static bool Quarantined(AuthenticationVerdict? verdict)
        => verdict is { DmarcFailed: true } && verdict.Dmarc.Policy != DmarcPolicy.None;

    /// <summary>The virus scanner and the spam classifier, when there are any, over the message as received (see <see cref="ContentFilter"/>).</summary>
    private async Task<FilterVerdict> FilterAsync(MessageSpool spool, CancellationToken cancellationToken)
        => target.Filter is { } filter
            ? await filter.CheckAsync(origin, spool.OpenRead, spool.Length, target.Options.ServerName, cancellationToken)
            : FilterVerdict.Pass;

    /// <summary>Stores one copy in one account: <paramref name="role"/>'s collection (INBOX when it has none).</summary>
    private async Task<DeliveryStatus> FileAsync(AccountId accountId, CollectionRole role, NewItem item, CancellationToken cancellationToken)
    {
        try
        {
            // Quota is checked, not reserved: two messages committing at once may each fit and together overshoot a little.
            var account = await target.Directory.GetAccountAsync(accountId, cancellationToken);
            if (account is null)
                return DeliveryStatus.UnknownUser; // removed since RCPT
            if (account.QuotaBytes is { } quota && account.UsedBytes + item.HeaderPrefix.Length + item.Size > quota)
                return DeliveryStatus.MailboxFull;
            var collections = await target.Store.ListCollectionsAsync(accountId, cancellationToken);
            var collection = collections.FirstOrDefault(c => c.Role == role) ?? collections.First(c => c.Role == CollectionRole.Inbox);
            Item filed;
            await using (var transaction = await target.Store.BeginAsync(accountId, cancellationToken))
            {
                filed = await transaction.AddItemAsync(collection.Id, item, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            await ObserveAsync(account, filed, cancellationToken);
            return DeliveryStatus.Delivered;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return DeliveryStatus.TemporaryFailure; // this account's write path failed; the sender retries it
        }
    }

    /// <summary>The copy is stored: the observer's failure cannot change that, so it is not this recipient's failure.</summary>
    private async Task ObserveAsync(Account account, Item item, CancellationToken cancellationToken)
    {
        if (target.Observer is not { } observer)
            return;
        try
        {
            await observer.MessageDeliveredAsync(account, mailFrom, item, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The observer logs its own failures; the message is delivered either way.
        }
    }

    /// <summary>
    /// A mixed outcome: SMTP has one answer after the data and it must be 250 once any recipient has the message
    /// (RFC 5321 §4.1.1.4), so recipients that failed at commit (this message over their quota, their store write
    /// failed) would be lost without a word. They go to the relay queue already failed, and its worker bounces them
    /// to the sender (RFC 3464, honouring NOTIFY). Not for the null sender, nor without a queue (then the caller's
    /// per-recipient statuses are all there is).
    /// </summary>
    private async Task BounceFailedAsync(IReadOnlyList<RecipientStatus> statuses, Outcomes outcomes)
    {
        if (mailFrom is null || target.Relay is not { } relay || !statuses.Any(s => s.Status.IsSuccess))
            return;
        var failed = _recipients.Zip(statuses)
            .Where(r => !r.Second.Status.IsSuccess)
            .Select(r => new RelayRecipient(r.First.Address, r.First.Dsn, r.Second.Status))
            .ToList();
        if (failed.Count == 0)
            return;
        try
        {
            await relay.EnqueueAsync(new RelayMessage(mailFrom, failed, outcomes.Blob.Id, outcomes.Blob.Size, Encoding.UTF8.GetBytes(outcomes.Trace), dsn,
                outcomes.Unfinished), CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The 250 stands (the others have their copies); the statuses still tell the caller who failed.
        }
    }

    private List<RelayRecipient> RelayRecipients()
        => _recipients
            .SelectMany(r => r.Destinations.OfType<RelayDestination>().Select(d => new RelayRecipient(d.Address, d.Expanded ? null : r.Dsn)))
            .DistinctBy(r => r.Address)
            .ToList();

    /// <summary>
    /// Hands every remote destination to the relay queue in one message. Our trace lines (Received, and on the MX
    /// channel Authentication-Results) travel as its header prefix; Return-Path and Delivered-To belong to the final delivery, not to us.
    /// </summary>
    private async Task<DeliveryStatus> RelayAsync(IReadOnlyList<RelayRecipient> recipients, (BlobId Id, long Size) blob, string trace,
        DeliveryId? unfinished, CancellationToken cancellationToken)
    {
        if (recipients.Count == 0 || target.Relay is not { } relay)
            return DeliveryStatus.Delivered;
        try
        {
            return await relay.EnqueueAsync(new RelayMessage(mailFrom, recipients, blob.Id, blob.Size, Encoding.UTF8.GetBytes(trace), dsn, unfinished),
                cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return DeliveryStatus.TemporaryFailure;
        }
    }
}
