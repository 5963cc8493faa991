using SyncServer.Core.Delivery;

namespace SyncServer.Server.Hosting;

/// <summary>
/// Stands in for local delivery (issue 3, item 3) until it is merged: every recipient gets a temporary failure,
/// so senders keep their mail and retry instead of having it bounced or lost.
/// </summary>
internal sealed class UnavailableDeliveryTarget : IDeliveryTarget
{
    private static readonly DeliveryStatus NotInstalled = new(451, "4.3.2", "local delivery is not installed yet, try again later");

    public Task<IDelivery> BeginAsync(DeliveryOrigin origin, string? mailFrom, DsnEnvelope? dsn, CancellationToken cancellationToken) =>
        Task.FromResult<IDelivery>(new Refusing());

    private sealed class Refusing : IDelivery
    {
        public Task<DeliveryStatus> AddRecipientAsync(string address, DsnRecipient? dsn, CancellationToken cancellationToken) =>
            Task.FromResult(NotInstalled);

        public ValueTask WriteBodyAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public Task<IReadOnlyList<RecipientStatus>> CommitAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<RecipientStatus>>([]);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
