using SyncServer.Core.Model;

namespace SyncServer.Core.Delivery;

/// <summary>
/// Told of each message local delivery filed into an account, after its store transaction committed: the seam through which
/// a service reacts to mail without the SMTP front-end knowing it (an iMIP reply updating the organizer's event, RFC 6047).
/// The delivery's outcome is already decided: a failure here is the observer's to log, never the sender's to see.
/// </summary>
public interface IDeliveredMessageObserver
{
    Task MessageDeliveredAsync(Account account, string? mailFrom, Item item, CancellationToken cancellationToken);
}
