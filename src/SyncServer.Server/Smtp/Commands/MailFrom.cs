using SyncServer.Core.Delivery;
using SyncServer.Protocols.Smtp;

namespace SyncServer.Server.Smtp.Commands;

/// <summary>
/// MAIL FROM (RFC 5321 §4.1.1.2): opens the delivery transaction. Submission and SMTPS need TLS and AUTH first
/// (RFC 6409 §4.3, RFC 3207 §4); a declared SIZE over the limit is refused here (RFC 1870 §6.1).
/// </summary>
internal static class MailFromCommand
{
    public static async ValueTask HandleAsync(SmtpSession session, MailFrom command, CancellationToken cancellationToken)
    {
        if (Refusal(session, command) is { } refusal)
        {
            session.Reply(refusal);
            return;
        }
        var target = session.Services.Delivery;
        var mailFrom = command.ReversePath?.ToString();
        // Submission may only use the account's own addresses (RFC 6409 §8); refused here, not at every RCPT.
        var sender = await target.CheckSenderAsync(session.Origin, mailFrom, cancellationToken);
        if (!sender.IsSuccess)
        {
            session.Reply(sender);
            return;
        }
        var delivery = await target.BeginAsync(session.Origin, mailFrom, Envelope(command), cancellationToken);
        session.Begin(delivery, command.SmtpUtf8);
        session.Reply(SmtpReplies.SenderOk);
    }

    private static SmtpReply? Refusal(SmtpSession session, MailFrom command)
    {
        if (session.State == SmtpState.Connected)
            return SessionReplies.HeloFirst;
        if (session.Transaction is not null)
            return SessionReplies.NestedMail;
        if (session.Listener.RequiresAuthentication && !session.Connection.IsTls)
            return SessionReplies.StartTlsFirst;
        if (session.Listener.RequiresAuthentication && session.AuthenticatedAccount is null)
            return SessionReplies.AuthenticationRequired;
        if (command.Size > session.Options.MaxMessageSize)
            return SmtpReplies.MessageTooBig;
        return command.Body == SmtpBodyType.BinaryMime ? SessionReplies.BinaryMimeNotOffered : null;
    }

    private static DsnEnvelope? Envelope(MailFrom command) =>
        command.Ret is null && command.EnvId is null ? null : new DsnEnvelope(command.Ret == DsnReturn.Full, command.EnvId);
}
