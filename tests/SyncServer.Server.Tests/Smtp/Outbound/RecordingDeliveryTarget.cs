using SyncServer.Core.Delivery;

namespace SyncServer.Server.Tests.Smtp.Outbound;

/// <summary>
/// Stands in for local delivery (not merged yet when these tests were written): accepts every recipient and
/// records each committed message.
/// </summary>
public sealed class RecordingDeliveryTarget : IDeliveryTarget
{
    public sealed record Delivered(DeliveryOrigin Origin, string? MailFrom, IReadOnlyList<string> Recipients, byte[] Body);

    public List<Delivered> Messages { get; } = [];

    public Task<IDelivery> BeginAsync(DeliveryOrigin origin, string? mailFrom, DsnEnvelope? dsn, CancellationToken cancellationToken)
        => Task.FromResult<IDelivery>(new Delivery(this, origin, mailFrom));

    private sealed class Delivery(RecordingDeliveryTarget target, DeliveryOrigin origin, string? mailFrom) : IDelivery
    {
        private readonly List<string> _recipients = [];
        private readonly MemoryStream _body = new();

        public Task<DeliveryStatus> AddRecipientAsync(string address, DsnRecipient? dsn, CancellationToken cancellationToken)
        {
            _recipients.Add(address);
            return Task.FromResult(DeliveryStatus.Accepted);
        }

        public ValueTask WriteBodyAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) => _body.WriteAsync(bytes, cancellationToken);

        public Task<IReadOnlyList<RecipientStatus>> CommitAsync(CancellationToken cancellationToken)
        {
            lock (target.Messages)
                target.Messages.Add(new Delivered(origin, mailFrom, _recipients, _body.ToArray()));
            return Task.FromResult<IReadOnlyList<RecipientStatus>>(_recipients.Select(r => new RecipientStatus(r, DeliveryStatus.Delivered)).ToList());
        }

        public ValueTask DisposeAsync() => _body.DisposeAsync();
    }
}
