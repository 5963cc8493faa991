using MimeKit;
using SyncServer.Core.Delivery;
using SyncServer.Core.Mail;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.CalDav;

namespace SyncServer.Server.Scheduling;

/// <summary>
/// Inbound iMIP (RFC 6047): a mail delivered to a local user that carries a <c>text/calendar</c> REPLY from an attendee of an
/// event that user organizes updates the attendee's PARTSTAT in the organizer's copy; a REQUEST or CANCEL from an organizer
/// outside puts the invitation in the user's schedule inbox and calendar (<see cref="ImipInvitations"/>). The mail stays in the
/// INBOX as delivered. Mail is easy to forge, so a reply counts only when its sender (envelope or From) is the attendee it
/// answers for, and an invitation only when its sender is the organizer. Only small messages whose stored structure shows a
/// calendar part are read at all.
/// </summary>
public sealed class ImipReceiver(IBlobStore blobs, ScheduleReplies replies, ImipInvitations invitations, ILogger<ImipReceiver> logger) : IDeliveredMessageObserver
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
        var senders = message.From.Mailboxes.Select(m => m.Address.ToLowerInvariant())
            .Concat(mailFrom is { Length: > 0 } ? [mailFrom.ToLowerInvariant()] : []).ToHashSet();
        foreach (var part in message.BodyParts.OfType<TextPart>().Where(p => p.ContentType.IsMimeType("text", "calendar")))
        {
            // a mail body's line breaks are the mail store's (MimeKit gives LF); iCalendar's are CRLF (RFC 5545 §3.1)
            var itip = ScheduledObject.TryParse(part.Text.ReplaceLineEndings("\r\n"));
            if (itip is { Method: "REQUEST" or "CANCEL" } invitation)
            {
                if (await invitations.ApplyAsync(account, invitation, senders, cancellationToken) is { } ignored)
                    Log.ImipInvitationIgnored(logger, invitation.Method!, invitation.Uid, account.Address, ignored);
                else
                    Log.ImipInvitationApplied(logger, invitation.Method!, invitation.Uid, invitation.Organizer!, account.Address);
                continue;
            }
            if (itip is not { Method: "REPLY" } reply)
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
