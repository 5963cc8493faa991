using SyncServer.Protocols.Smtp;

namespace SyncServer.Server.Smtp.Commands;

/// <summary>
/// DATA (RFC 5321 §4.1.1.4): 354, then the dot-stuffed body up to CRLF.CRLF streamed into the delivery, then one
/// reply. An oversized message or bare CR/LF is read to its end and refused (RFC 1870 §6.3, RFC 5321 §2.3.8).
/// </summary>
internal static class DataCommand
{
    public static async ValueTask HandleAsync(SmtpSession session, CancellationToken cancellationToken)
    {
        var transaction = session.Transaction;
        if (Refusal(session, transaction) is { } refusal)
        {
            session.Reply(refusal);
            return;
        }
        session.Reply(SmtpReplies.StartMailInput);
        var reader = new SmtpDataReader(session.Options.BodyLimits);
        if (!await MessageBody.ReadAsync(session, reader.TryRead, transaction!.Delivery, cancellationToken))
        {
            session.State = SmtpState.Closed; // the client went away mid-message: nothing is committed
            return;
        }
        if (reader.Rejection is { } rejection)
        {
            await session.ResetTransactionAsync();
            session.Reply(rejection);
            return;
        }
        await MessageBody.CommitAsync(session, transaction, reader.MessageSize, cancellationToken);
    }

    private static SmtpReply? Refusal(SmtpSession session, SmtpTransaction? transaction) => transaction switch
    {
        null => SessionReplies.MailFirst,
        { Chunks: not null } => SessionReplies.DataAfterBdat,
        { AcceptedRecipients: 0 } => SessionReplies.NoValidRecipients,
        _ => null,
    };
}
