using SyncServer.Core.Model;
using SyncServer.Protocols.CalDav;

namespace SyncServer.Server.Scheduling;

/// <summary>What becomes of an attendee's REPLY at the organizer's end, whether it came through CalDAV or by iMIP mail.</summary>
public sealed class ScheduleReplies(CalendarStore calendars, CalendarUsers users)
{
    /// <summary>
    /// Applies an attendee's REPLY to the organizer's copy of the event (RFC 6638 §3.2.10, and RFC 6047 for one that came by
    /// mail) — to every instance, or to the instances it names by RECURRENCE-ID — and files it in the organizer's schedule inbox. Returns null when applied, else why not.
    /// </summary>
    public async Task<string?> ApplyAsync(Account organizer, ScheduledObject reply, string attendee, CancellationToken cancellationToken)
    {
        if (reply.PartStatOf(attendee) is null)
            return "the reply does not name its attendee";
        var addresses = await users.AddressesAsync(organizer, cancellationToken);
        string? refused = "no event with this UID is organized here";
        var applied = await calendars.ChangeAsync(organizer.Id, reply.Uid, stored =>
        {
            if (stored is null || stored.Organizer is not { } owner || !CalendarUsers.Includes(addresses, owner))
                return null;
            if (stored.PartStatOf(attendee) is null)
            {
                refused = "the sender is not an attendee of the event";
                return null;
            }
            return stored.WithReply(attendee, reply, "2.0");
        }, cancellationToken);
        if (!applied)
            return refused;
        await calendars.DeliverToInboxAsync(organizer.Id, reply.Text, cancellationToken);
        return null;
    }
}
