using SyncServer.Core.Store;

namespace SyncServer.Server.Pop3.Commands;

/// <summary>
/// QUIT (RFC 1939 §6): from TRANSACTION it enters UPDATE and deletes the marked messages in one store transaction,
/// so IMAP sessions see them expunged and other views see the change; then the connection closes.
/// </summary>
internal static class QuitCommand
{
    public static async Task HandleAsync(Pop3Session session, CancellationToken cancellationToken)
    {
        if (session.State == Pop3State.Transaction)
            await UpdateAsync(session, cancellationToken);
        else
            session.Ok("Bye");
        session.State = Pop3State.Closed;
    }

    private static async Task UpdateAsync(Pop3Session session, CancellationToken cancellationToken)
    {
        var doomed = session.Maildrop.Deleted.ToList();
        try
        {
            if (doomed.Count > 0)
            {
                await using var transaction = await session.Services.Store.BeginAsync(session.Account!.Id, cancellationToken);
                foreach (var item in doomed)
                    await transaction.DeleteItemAsync(item.Id, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            session.Ok("Bye");
        }
        catch (StoreNotFoundException)
        {
            // Another session removed one of them first; the transaction is rolled back, so nothing was deleted.
            session.Err("Some deleted messages not removed", "SYS/TEMP");
        }
    }
}
