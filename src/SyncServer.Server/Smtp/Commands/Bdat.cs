using SyncServer.Protocols.Smtp;

namespace SyncServer.Server.Smtp.Commands;

/// <summary>
/// BDAT (RFC 3030 §2): exactly the announced octets follow the command, whatever the reply, so every chunk is read
/// before it is answered; a refused one is drained, not stored. The LAST chunk commits.
/// </summary>
internal static class BdatCommand
{
    // Drains refused chunks: a limit of 0 writes nothing.
    private static readonly SmtpBodyLimits Drain = new() { MaxMessageSize = 0 };

    public static async ValueTask HandleAsync(SmtpSession session, Bdat command, CancellationToken cancellationToken)
    {
        var transaction = session.Transaction;
        var refusal = transaction is null ? SessionReplies.MailFirst
            : transaction.AcceptedRecipients == 0 ? SessionReplies.NoValidRecipients
            : null;
        var reader = refusal is null
            ? transaction!.Chunks ??= new SmtpBdatReader(session.Options.BodyLimits)
            : new SmtpBdatReader(Drain);
        reader.BeginChunk(command);
        if (!await MessageBody.ReadAsync(session, reader.TryRead, refusal is null ? transaction!.Delivery : null, cancellationToken))
        {
            session.State = SmtpState.Closed; // the client went away mid-chunk: nothing is committed
            return;
        }
        if ((refusal ?? reader.Rejection) is { } rejection)
        {
            // After a failed chunk the rest of the message is refused too, until the client starts over (RFC 3030 §2).
            await session.ResetTransactionAsync();
            session.Reply(rejection);
        }
        else if (!command.Last)
            session.Reply(SessionReplies.ChunkReceived(command.Size));
        else
            await MessageBody.CommitAsync(session, transaction!, reader.MessageSize, cancellationToken);
    }
}
