using System.Collections.Concurrent;
using SyncServer.Core.Delivery;

namespace SyncServer.Server.Tests.Smtp;

/// <summary>
/// A stand-in delivery target that records what the session hands over. Recipients of example.org are local
/// (<c>unknown@</c> is 550, <c>full@</c> is accepted but fails at commit); other domains are relaying, refused on
/// the MX channel and accepted for submission, as the real target does.
/// </summary>
public sealed class RecordingDeliveryTarget : IDeliveryTarget
{
    public const string LocalDomain = "example.org";

    public ConcurrentQueue<RecordedMessage> Messages { get; } = new();

    /// <summary>Messages whose commit returned, in order.</summary>
    public IReadOnlyList<RecordedMessage> Committed => Messages.Where(m => m.IsCommitted).ToList();

    /// <summary>On submission only <c>bob@</c> may be the sender, as if he were the only account.</summary>
    public Task<DeliveryStatus> CheckSenderAsync(DeliveryOrigin origin, string? mailFrom, CancellationToken cancellationToken) =>
        Task.FromResult(origin.Channel == DeliveryChannel.Submission && mailFrom != origin.AuthenticatedAccount
            ? DeliveryStatus.SenderNotOwned
            : DeliveryStatus.Accepted);

    public Task<IDelivery> BeginAsync(DeliveryOrigin origin, string? mailFrom, DsnEnvelope? dsn, CancellationToken cancellationToken)
    {
        var message = new RecordedMessage(origin, mailFrom, dsn);
        Messages.Enqueue(message);
        return Task.FromResult<IDelivery>(message);
    }
}

public sealed class RecordedMessage(DeliveryOrigin origin, string? mailFrom, DsnEnvelope? dsn) : IDelivery
{
    private readonly MemoryStream _body = new();

    public DeliveryOrigin Origin => origin;
    public string? MailFrom => mailFrom;
    public DsnEnvelope? Dsn => dsn;
    public List<(string Address, DsnRecipient? Dsn)> Recipients { get; } = [];
    public bool IsCommitted { get; private set; }
    public bool IsDisposed { get; private set; }
    public byte[] Body => _body.ToArray();

    public Task<DeliveryStatus> AddRecipientAsync(string address, DsnRecipient? dsn, CancellationToken cancellationToken)
    {
        var domain = address[(address.LastIndexOf('@') + 1)..];
        var status = !domain.Equals(RecordingDeliveryTarget.LocalDomain, StringComparison.OrdinalIgnoreCase)
            ? origin.Channel == DeliveryChannel.Mx ? DeliveryStatus.RelayDenied : DeliveryStatus.Accepted
            : address.StartsWith("unknown@", StringComparison.OrdinalIgnoreCase) ? DeliveryStatus.UnknownUser
            : DeliveryStatus.Accepted;
        if (status.IsSuccess)
            Recipients.Add((address, dsn));
        return Task.FromResult(status);
    }

    public ValueTask WriteBodyAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        Assert.That(IsCommitted, Is.False, "body written after commit");
        _body.Write(bytes.Span);
        return ValueTask.CompletedTask;
    }

    public Task<IReadOnlyList<RecipientStatus>> CommitAsync(CancellationToken cancellationToken)
    {
        IsCommitted = true;
        IReadOnlyList<RecipientStatus> statuses = Recipients
            .Select(r => new RecipientStatus(r.Address,
                r.Address.StartsWith("full@", StringComparison.OrdinalIgnoreCase) ? DeliveryStatus.MailboxFull : DeliveryStatus.Delivered))
            .ToList();
        return Task.FromResult(statuses);
    }

    public ValueTask DisposeAsync()
    {
        IsDisposed = true;
        return ValueTask.CompletedTask;
    }
}
