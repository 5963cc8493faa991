using System.Net;
using System.Text;
using MimeKit;
using SyncServer.Core.Delivery;
using SyncServer.Core.Model;

namespace SyncServer.Server.Scheduling;

/// <summary>
/// iMIP (RFC 6047): an iTIP message as mail, sent through the delivery service as if the calendar user had submitted it, so
/// the sender rules, DKIM signing and the outbound queue apply as to any mail of theirs. The message is a
/// multipart/alternative of a short text and the <c>text/calendar; method=…</c> part (RFC 6047 §2.4) that Outlook and
/// Thunderbird render as an invitation.
/// </summary>
public sealed class ImipSender(IDeliveryTarget delivery, TimeProvider time)
{
    public async Task<DeliveryStatus> SendAsync(Account from, string to, string method, string summary, string itip, CancellationToken cancellationToken)
    {
        var message = Create(from, to, method, summary, itip, time.GetUtcNow());
        using var bytes = new MemoryStream();
        await message.WriteToAsync(bytes, cancellationToken);
        var origin = new DeliveryOrigin(DeliveryChannel.Submission, IPAddress.Loopback, null, from.Address, IsTls: true);
        await using var transaction = await delivery.BeginAsync(origin, from.Address, null, cancellationToken);
        var status = await transaction.AddRecipientAsync(to, null, cancellationToken);
        if (!status.IsSuccess)
            return status;
        await transaction.WriteBodyAsync(bytes.GetBuffer().AsMemory(0, (int)bytes.Length), cancellationToken);
        return (await transaction.CommitAsync(cancellationToken)).Single().Status;
    }

    public static MimeMessage Create(Account from, string to, string method, string summary, string itip, DateTimeOffset now)
    {
        var message = new MimeMessage { Date = now, Subject = SubjectOf(method, summary, from) };
        message.From.Add(new MailboxAddress(from.DisplayName, from.Address));
        message.To.Add(MailboxAddress.Parse(to));
        var text = new TextPart("plain");
        text.SetText(Encoding.UTF8, DescriptionOf(method, summary, from) + "\r\n");
        var calendar = new TextPart("calendar");
        calendar.SetText(Encoding.UTF8, itip);
        calendar.ContentType.Parameters.Add("method", method);
        message.Body = new MultipartAlternative { text, calendar };
        message.Prepare(EncodingConstraint.SevenBit);
        return message;
    }

    private static string SubjectOf(string method, string summary, Account from) => method switch
    {
        "REQUEST" => $"Invitation: {summary}",
        "CANCEL" => $"Cancelled: {summary}",
        _ => $"Reply from {Name(from)}: {summary}",
    };

    private static string DescriptionOf(string method, string summary, Account from) => method switch
    {
        "REQUEST" => $"{Name(from)} invites you to \"{summary}\".",
        "CANCEL" => $"{Name(from)} has cancelled \"{summary}\".",
        _ => $"{Name(from)} has answered your invitation to \"{summary}\".",
    };

    private static string Name(Account account) => account.DisplayName is { Length: > 0 } name ? name : account.Address;
}
