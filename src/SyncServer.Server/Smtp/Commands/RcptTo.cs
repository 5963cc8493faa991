using SyncServer.Core.Delivery;
using SyncServer.Protocols.Smtp;

namespace SyncServer.Server.Smtp.Commands;

/// <summary>
/// RCPT TO (RFC 5321 §4.1.1.3): each recipient gets the delivery target's own answer (unknown user, relay denied,
/// quota, posting policy), so the client knows before DATA which ones will get the message.
/// </summary>
internal static class RcptToCommand
{
    public static async ValueTask HandleAsync(SmtpSession session, RcptTo command, CancellationToken cancellationToken)
    {
        var transaction = session.Transaction;
        if (transaction is null)
            session.Reply(SessionReplies.MailFirst);
        else if (transaction.Chunks is not null)
            session.Reply(SessionReplies.RcptAfterBdat);
        else if (command.ForwardPath.IsInternationalized && !transaction.SmtpUtf8)
            session.Reply(SmtpSyntaxError.NonAsciiWithoutSmtpUtf8.ToReply()); // RFC 6531 §3.4
        else if (transaction.AcceptedRecipients >= session.Options.MaxRecipients)
            // Not counted as an error: the client is expected to send the rest in a later transaction
            // (RFC 5321 §4.5.3.1.10), and a large mailing would otherwise hit the error limit before DATA.
            session.Connection.Reply(SessionReplies.From(DeliveryStatus.TooManyRecipients));
        else
            await AddAsync(session, transaction, command, cancellationToken);
    }

    private static async ValueTask AddAsync(SmtpSession session, SmtpTransaction transaction, RcptTo command, CancellationToken cancellationToken)
    {
        var status = await transaction.Delivery.AddRecipientAsync(command.ForwardPath.ToString(), Dsn(command), cancellationToken);
        if (status.IsSuccess)
            transaction.AcceptedRecipients++;
        session.Reply(status);
    }

    private static DsnRecipient? Dsn(RcptTo command)
    {
        if (command.Notify is null && command.Orcpt is null)
            return null;
        // Without NOTIFY the RFC 3461 §4.1 default applies: failures and delays are reported.
        var notify = command.Notify ?? (DsnNotify.Failure | DsnNotify.Delay);
        // ORCPT is kept as "addr-type;address", the form a DSN reports it in (RFC 3464 Original-Recipient).
        var orcpt = command.Orcpt is { } original ? original.AddressType + ";" + original.Address : null;
        return new DsnRecipient(
            notify.HasFlag(DsnNotify.Never), notify.HasFlag(DsnNotify.Success), notify.HasFlag(DsnNotify.Failure),
            notify.HasFlag(DsnNotify.Delay), orcpt);
    }
}
