using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.CalDav;

namespace SyncServer.Server.Scheduling;

/// <summary>
/// An invitation by mail from an organizer outside (RFC 6047 over RFC 5546 §3.2.2 REQUEST and §3.2.5 CANCEL), delivered to a
/// local attendee: the message goes into their schedule inbox and the event into their calendar, as an invitation from a local
/// organizer does (<see cref="CalendarScheduler"/>). A REQUEST adds the event to the default calendar with the organizer's
/// PARTSTAT for the attendee (NEEDS-ACTION), or replaces the stored copy when it is not older (SEQUENCE, then DTSTAMP) —
/// keeping the attendee's answer unless the SEQUENCE rose (a rescheduling asks again); a REQUEST of single instances replaces
/// those. A CANCEL marks the event STATUS:CANCELLED, or removes the cancelled instances (EXDATE). Refused, with the reason:
/// an organizer who is not the mail's sender, an organizer in a domain served here (local organizers schedule through CalDAV,
/// so such a mail from outside is forged), a recipient who is not an attendee, an event of that UID organized by someone else.
/// </summary>
public sealed class ImipInvitations(CalendarStore calendars, CalendarUsers users, IDirectoryStore directory)
{
    /// <summary>Applies a REQUEST or CANCEL mailed to <paramref name="account"/> by one of <paramref name="senders"/>; null when applied, else why not.</summary>
    public async Task<string?> ApplyAsync(Account account, ScheduledObject message, IReadOnlySet<string> senders, CancellationToken cancellationToken)
    {
        if (message.Organizer is not { } organizer)
            return "the message has no organizer";
        if (!senders.Contains(organizer))
            return "the sender is not the organizer";
        if (organizer.Split('@') is not [_, var domain] || await directory.GetDomainAsync(domain, cancellationToken) is not null)
            return "the organizer claims an address served here";
        var addresses = await users.AddressesAsync(account, cancellationToken);
        if (message.Attendees.FirstOrDefault(a => CalendarUsers.Includes(addresses, a.Address)) is not { } attendee)
            return "the recipient is not an attendee";
        string? refused = null;
        var applied = await calendars.ChangeAsync(account.Id, message.Uid, stored =>
        {
            if (stored is not null && stored.Organizer != organizer)
                refused = "an event with this UID is organized by someone else";
            else if (stored is not null && message.IsOlderThan(stored))
                refused = "the message is older than the stored event";
            else if (message.Method == "REQUEST")
                return Request(message, attendee.Address, stored, out refused);
            else
                return stored is null ? Refuse(out refused, "no such event") : Cancel(message, stored);
            return null;
        }, cancellationToken);
        if (!applied)
            return refused ?? "the account has no default calendar";
        await calendars.DeliverToInboxAsync(account.Id, message.Text, cancellationToken);
        return null;
    }

    private static string? Request(ScheduledObject message, string attendee, ScheduledObject? stored, out string? refused)
    {
        refused = null;
        var keepAnswer = stored is not null && stored.Sequence == message.Sequence ? stored : null;
        if (message.HasMaster)
            return message.AsAttendeeCopy(attendee, keepAnswer);
        if (stored is null)
            return Refuse(out refused, "an update of single instances of an event not stored here");
        return ScheduledObject.TryParse(stored.WithInstancesOf(message))?.AsAttendeeCopy(attendee, stored);
    }

    private static string Cancel(ScheduledObject message, ScheduledObject stored)
        => message.HasMaster || !stored.HasMaster ? stored.Cancelled() : stored.WithoutInstances(message.InstanceIds);

    private static string? Refuse(out string? refused, string reason)
    {
        refused = reason;
        return null;
    }
}
