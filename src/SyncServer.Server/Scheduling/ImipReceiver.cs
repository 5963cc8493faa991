using MimeKit;
using SyncServer.Core.Delivery;
using SyncServer.Core.Mail;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.CalDav;

namespace SyncServer.Server.Scheduling;

/// <summary>
/// Inbound iMIP (RFC 6047): a mail delivered to a local user that carries a <c>text/calendar</c> REPLY from an attendee of an
/// event that user organizes updates the attendee's PARTSTAT in the organizer's copy. The mail stays in the INBOX as delivered.
/// Mail is easy to forge, so the reply counts only when its sender (envelope or From) is the attendee it answers for.
/// Only small messages whose stored structure shows a calendar part are read at all.
/// </summary>
public sealed class ImipReceiver(IBlobStore blobs, ScheduleReplies replies, ILogger<ImipReceiver> logger) : IDeliveredMessageObserver
{
    private const long MaxImipSize = 1024 * 1024;

    public async Task MessageDeliveredAsync(Account account, string? mailFrom, Item item, CancellationToken cancellationToken)
    {
        if (item.Size > MaxImipSize || MessageStructure.Deserialize(item.Mail?.MimeStructure) is not { } structure
            || CalendarPart(structure.Body) is null)
            return;
        MimeMessage message;
        try
        {
            await using var content = await ItemContent.OpenAsync(item, blobs, cancellationToken);
            message = await MimeMessage.LoadAsync(content, cancellationToken);
        }
        catch (FormatException e)
        {
            Log.ImipUnreadable(logger, e, item.Id.Value, account.Address);
            return;
        }
        var senders = message.From.Mailboxes.Select(m => m.Address.ToLowerInvariant()).Append(mailFrom?.ToLowerInvariant()).ToHashSet();
        foreach (var part in message.BodyParts.OfType<TextPart>().Where(p => p.ContentType.IsMimeType("text", "calendar")))
        {
            if (ScheduledObject.TryParse(part.Text) is not { Method: "REPLY" } reply)
                continue;
            var attendee = reply.Attendees.FirstOrDefault(a => senders.Contains(a.Address));
            if (attendee is null)
            {
                Log.ImipReplyIgnored(logger, reply.Uid, account.Address, "the sender is not the attendee replying");
                continue;
            }
            if (await replies.ApplyAsync(account, reply, attendee.Address, cancellationToken) is { } refused)
                Log.ImipReplyIgnored(logger, reply.Uid, account.Address, refused);
            else
                Log.ImipReplyApplied(logger, reply.Uid, attendee.Address, account.Address, attendee.PartStat);
        }
    }

    /// <summary>The first <c>text/calendar</c> part of a stored structure, or null: whether a message is worth reading for iMIP.</summary>
    public static MimePartStructure? CalendarPart(MimePartStructure part)
        => part.Type.Equals("text", StringComparison.OrdinalIgnoreCase) && part.Subtype.Equals("calendar", StringComparison.OrdinalIgnoreCase)
            ? part
            : part.Parts.Select(CalendarPart).FirstOrDefault(p => p is not null);
}
