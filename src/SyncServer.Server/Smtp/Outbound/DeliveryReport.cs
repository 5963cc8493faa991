using System.Text;
using MimeKit;
using MimeKit.Utils;
using SyncServer.Core.Model;

namespace SyncServer.Server.Smtp.Outbound;

/// <summary>
/// Builds delivery status notifications (RFC 3464 <c>multipart/report; report-type=delivery-status</c>): a bounce
/// for failed recipients or a delay warning for recipients still being retried. The original comes back whole
/// with RET=FULL, else its header only.
/// </summary>
public sealed class DeliveryReport(string reportingMta)
{
    public async Task<MimeMessage> CreateAsync(QueuedMessage message, string sender, IReadOnlyList<QueuedRecipient> recipients, QueueNotice notice,
        DateTimeOffset now, DateTimeOffset retryUntil, Stream original, CancellationToken cancellationToken)
    {
        var failed = notice == QueueNotice.FailureReport;
        var report = new MimeMessage
        {
            Subject = failed ? "Undelivered Mail Returned to Sender" : "Delayed Mail (still being retried)",
            Date = now,
            MessageId = MimeUtils.GenerateMessageId(reportingMta),
        };
        report.From.Add(new MailboxAddress("Mail Delivery System", $"MAILER-DAEMON@{reportingMta}"));
        report.To.Add(new MailboxAddress("", sender));
        // RFC 3834: an automatic reply, so vacation responders and other robots stay quiet.
        report.Headers.Add("Auto-Submitted", "auto-replied");
        report.Body = new MultipartReport("delivery-status")
        {
            new TextPart("plain") { Text = Explanation(recipients, failed, retryUntil) },
            Status(message, recipients, failed, now, retryUntil),
            await OriginalAsync(message.Dsn?.ReturnFullMessage == true, original, cancellationToken),
        };
        return report;
    }

    private string Explanation(IReadOnlyList<QueuedRecipient> recipients, bool failed, DateTimeOffset retryUntil)
    {
        var text = new StringBuilder($"This is the mail system at {reportingMta}.\n\n");
        text.Append(failed
            ? "Your message could not be delivered to the recipients below. This is a permanent error.\n\n"
            : $"Your message has not been delivered yet to the recipients below. Delivery will be retried until {DateUtils.FormatDate(retryUntil)}; you need not send it again.\n\n");
        foreach (var recipient in recipients)
            text.Append($"<{recipient.Address}>: {recipient.LastError ?? "no answer yet"}\n");
        return text.ToString();
    }

    private MessageDeliveryStatus Status(QueuedMessage message, IReadOnlyList<QueuedRecipient> recipients, bool failed,
        DateTimeOffset now, DateTimeOffset retryUntil)
    {
        var status = new MessageDeliveryStatus();
        var perMessage = new HeaderList { { "Reporting-MTA", $"dns; {reportingMta}" } };
        if (message.Dsn?.EnvelopeId is { } envelopeId)
            perMessage.Add("Original-Envelope-Id", envelopeId);
        perMessage.Add("Arrival-Date", DateUtils.FormatDate(message.CreatedAt));
        status.StatusGroups.Add(perMessage);

        foreach (var recipient in recipients)
        {
            var group = new HeaderList();
            if (recipient.Dsn?.OriginalRecipient is { } original)
                group.Add("Original-Recipient", original.Contains(';') ? original : $"rfc822; {original}");
            group.Add("Final-Recipient", $"rfc822; {recipient.Address}");
            group.Add("Action", failed ? "failed" : "delayed");
            group.Add("Status", EnhancedCodeOf(recipient.LastError) ?? (failed ? "5.0.0" : "4.0.0"));
            if (recipient.LastError is { } error)
                group.Add("Diagnostic-Code", $"smtp; {error}");
            group.Add("Last-Attempt-Date", DateUtils.FormatDate(now));
            if (!failed)
                group.Add("Will-Retry-Until", DateUtils.FormatDate(retryUntil));
            status.StatusGroups.Add(group);
        }
        return status;
    }

    /// <summary>The second word of a recorded reply <c>550 5.1.1 text</c>.</summary>
    private static string? EnhancedCodeOf(string? error)
        => error?.Split(' ', 3) is [_, var code, ..] && code.Length >= 5 && code[1] == '.' ? code : null;

    private static async Task<MimeEntity> OriginalAsync(bool full, Stream original, CancellationToken cancellationToken)
    {
        if (full)
            return new MessagePart { Message = await MimeMessage.LoadAsync(original, cancellationToken) };
        var headers = await HeaderList.LoadAsync(original, cancellationToken);
        var headerOnly = new MimeMessage();
        headerOnly.Headers.Clear();
        foreach (var header in headers)
            headerOnly.Headers.Add(header);
        return new TextRfc822Headers { Message = headerOnly };
    }
}
