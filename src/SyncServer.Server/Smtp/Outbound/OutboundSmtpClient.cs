using MailKit;
using MailKit.Net.Smtp;
using MimeKit;
using SyncServer.Core.Model;

namespace SyncServer.Server.Smtp.Outbound;

/// <summary>
/// MailKit's client with what a relay needs: the queued DSN parameters passed on (RFC 3461 §6.2), and a refused
/// recipient recorded instead of ending the transaction, so the others still get the message. The received ORCPT
/// cannot be passed on: MailKit 4.18 builds ORCPT from the RCPT address itself (its hook is private).
/// </summary>
internal sealed class OutboundSmtpClient : SmtpClient
{
    private QueuedMessage? _message;
    private Dictionary<string, QueuedRecipient> _recipients = [];

    /// <summary>RCPT TO answers other than 2xx of the current transaction, by address.</summary>
    public Dictionary<string, SmtpResponse> Refused { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Sets the envelope the next send passes on.</summary>
    public void UseEnvelope(QueuedMessage message, IReadOnlyList<QueuedRecipient> recipients)
    {
        _message = message;
        _recipients = recipients.ToDictionary(r => r.Address, StringComparer.OrdinalIgnoreCase);
        Refused.Clear();
        DeliveryStatusNotificationType = message.Dsn switch
        {
            null => DeliveryStatusNotificationType.Unspecified,
            { ReturnFullMessage: true } => DeliveryStatusNotificationType.Full,
            _ => DeliveryStatusNotificationType.HeadersOnly,
        };
    }

    protected override string? GetEnvelopeId(MimeMessage message) => _message?.Dsn?.EnvelopeId;

    protected override DeliveryStatusNotification? GetDeliveryStatusNotifications(MimeMessage message, MailboxAddress mailbox)
    {
        if (!_recipients.TryGetValue(mailbox.Address, out var recipient) || recipient.Dsn is not { } dsn)
            return null;
        if (dsn.Never)
            return DeliveryStatusNotification.Never;
        return (dsn.OnSuccess ? DeliveryStatusNotification.Success : 0)
            | (dsn.OnFailure ? DeliveryStatusNotification.Failure : 0)
            | (dsn.OnDelay ? DeliveryStatusNotification.Delay : 0);
    }

    protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
        => Refused[mailbox.Address] = response;
}
