using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.CalDav;

namespace SyncServer.Server.Scheduling;

/// <summary>What became of an attendee's answer: their copy of the event (null after a decline), or <paramref name="Stored"/> false when it could not be written (no default calendar).</summary>
public sealed record AttendeeAnswer(Item? Event, bool Stored);

/// <summary>
/// Implicit scheduling (RFC 6638 §3.2): what happens to other calendar users when a calendar user stores or removes a
/// scheduling object resource. The organizer's PUT sends a REQUEST to each attendee the change concerns and a CANCEL to each
/// one removed; the organizer's DELETE cancels for everyone. An attendee's PUT that changes their PARTSTAT, or their DELETE
/// (a decline), sends a REPLY to the organizer. A local calendar user (an account in the directory) gets the message in their
/// schedule inbox and the event in their calendar; anyone else gets it as iMIP mail through <see cref="ImipSender"/>.
/// </summary>
public sealed class CalendarScheduler(CalendarStore calendars, CalendarUsers users, ScheduleReplies replies, IDirectoryStore directory, ImipSender imip,
    ILogger<CalendarScheduler> logger)
{
    /// <summary>RFC 6638 §3.2.9 SCHEDULE-STATUS values.</summary>
    private const string Sent = "1.1", Delivered = "1.2", NotDelivered = "5.1";

    /// <summary>
    /// Schedules for a PUT of <paramref name="text"/> by <paramref name="account"/> over <paramref name="previousText"/> (null for
    /// a new resource). Returns the text to store: the organizer's copy gets a SCHEDULE-STATUS per attendee scheduled.
    /// </summary>
    public async Task<string> OnPutAsync(Account account, string text, string? previousText, CancellationToken cancellationToken)
    {
        if (ScheduledObject.TryParse(text) is not { Organizer: { } organizer } scheduled || scheduled.OrganizerScheduledByClient)
            return text;
        var previous = previousText is null ? null : ScheduledObject.TryParse(previousText);
        var addresses = await users.AddressesAsync(account, cancellationToken);
        if (CalendarUsers.Includes(addresses, organizer))
            return await OrganizerPutAsync(account, scheduled, previous, cancellationToken);
        if (Own(addresses, scheduled) is { ScheduledByClient: false } attendee
            && scheduled.AnswerChanges(attendee.Address, previous) is { Count: > 0 } changed)
            await ReplyAsync(account, scheduled, attendee.Address, cancellationToken, changed.Contains("") ? null : changed);
        return text;
    }

    /// <summary>Schedules for the DELETE of <paramref name="text"/> by <paramref name="account"/>: a CANCEL from the organizer, a decline from an attendee.</summary>
    public async Task OnDeleteAsync(Account account, string text, CancellationToken cancellationToken)
    {
        if (ScheduledObject.TryParse(text) is not { Organizer: { } organizer } scheduled || scheduled.OrganizerScheduledByClient
            || scheduled.Method is not null)
            return;
        var addresses = await users.AddressesAsync(account, cancellationToken);
        if (CalendarUsers.Includes(addresses, organizer))
        {
            await CancelAsync(account, scheduled, Scheduled(scheduled, organizer).Select(a => a.Address).ToList(), cancellationToken);
            return;
        }
        if (Own(addresses, scheduled) is { ScheduledByClient: false, PartStat: not "DECLINED" } attendee
            && ScheduledObject.TryParse(scheduled.WithPartStat(attendee.Address, "DECLINED")) is { } declined)
            await ReplyAsync(account, declined, attendee.Address, cancellationToken);
    }

    /// <summary>
    /// An attendee's answer (ACCEPTED, TENTATIVE or DECLINED) to an invitation that reached them as mail (ActiveSync
    /// MeetingResponse). Their copy of the event, found by UID (made by implicit scheduling or by inbound iMIP) or else made
    /// from <paramref name="request"/> in their default calendar, gets their PARTSTAT; a decline removes their copy, as Exchange
    /// removes a declined meeting from the calendar. With <paramref name="sendReply"/> the REPLY goes to the organizer as implicit
    /// scheduling sends one (a local organizer's copy updated, anyone else by iMIP); without it nothing is sent (the client sends
    /// its own). Null when the account is not an attendee of <paramref name="request"/>.
    /// </summary>
    public async Task<AttendeeAnswer?> AnswerAsync(Account account, ScheduledObject request, string partStat, bool sendReply, CancellationToken cancellationToken)
    {
        if (request.Organizer is null || Own(await users.AddressesAsync(account, cancellationToken), request) is not { } attendee)
            return null;
        Item? stored = null;
        if (partStat == "DECLINED")
            await calendars.RemoveAsync(account.Id, request.Uid, cancellationToken);
        else
            stored = await calendars.ChangeItemAsync(account.Id, request.Uid,
                existing => (existing ?? ScheduledObject.TryParse(request.AsAttendeeCopy(attendee.Address, null)))?.WithPartStat(attendee.Address, partStat),
                cancellationToken);
        if (partStat != "DECLINED" && stored is null)
            return new AttendeeAnswer(null, Stored: false);
        if (sendReply && ScheduledObject.TryParse(request.WithPartStat(attendee.Address, partStat)) is { } answered)
            await ReplyAsync(account, answered, attendee.Address, cancellationToken);
        return new AttendeeAnswer(stored, Stored: true);
    }

    private async Task<string> OrganizerPutAsync(Account account, ScheduledObject scheduled, ScheduledObject? previous, CancellationToken cancellationToken)
    {
        var organizer = scheduled.Organizer!;
        if (previous?.Organizer == organizer)
            scheduled = KeepAnswers(scheduled, previous, organizer);
        var attendees = Scheduled(scheduled, organizer).ToList();
        var changed = previous is null || previous.Fingerprint != scheduled.Fingerprint;
        var statuses = new Dictionary<string, string>();
        foreach (var attendee in attendees)
        {
            if (changed || previous!.PartStatOf(attendee.Address) is null)
                statuses[attendee.Address] = await RequestAsync(account, scheduled, attendee.Address, cancellationToken);
        }
        if (previous is not null && previous.Organizer == organizer)
        {
            var removed = Scheduled(previous, organizer).Where(p => attendees.All(a => a.Address != p.Address)).Select(p => p.Address).ToList();
            if (removed.Count > 0)
                await CancelAsync(account, previous, removed, cancellationToken);
        }
        return statuses.Count == 0 ? scheduled.Text : scheduled.WithScheduleStatus(statuses);
    }

    /// <summary>
    /// An attendee's PARTSTAT is theirs to set (RFC 5546 §2.1.1): a PUT from the organizer's client, perhaps from a copy older
    /// than the last reply, cannot change it, so the answer the server recorded stays.
    /// </summary>
    private static ScheduledObject KeepAnswers(ScheduledObject scheduled, ScheduledObject previous, string organizer)
    {
        foreach (var attendee in scheduled.Attendees.Where(a => a.Address != organizer))
        {
            if (previous.PartStatOf(attendee.Address) is { } answer && answer != attendee.PartStat)
                scheduled = ScheduledObject.TryParse(scheduled.WithPartStat(attendee.Address, answer))!;
        }
        return scheduled;
    }

    /// <summary>The REQUEST to one attendee; its SCHEDULE-STATUS.</summary>
    private Task<string> RequestAsync(Account organizer, ScheduledObject scheduled, string attendee, CancellationToken cancellationToken)
        => SendAsync(organizer, scheduled, "REQUEST", scheduled.Request(), attendee,
            (local, request) => calendars.ChangeAsync(local.Id, scheduled.Uid, existing => request.AsAttendeeCopy(attendee, existing), cancellationToken),
            cancellationToken);

    private async Task CancelAsync(Account organizer, ScheduledObject scheduled, IReadOnlyCollection<string> attendees, CancellationToken cancellationToken)
    {
        var cancel = scheduled.Cancel(attendees);
        foreach (var attendee in attendees)
            await SendAsync(organizer, scheduled, "CANCEL", cancel, attendee,
                (local, _) => calendars.ChangeAsync(local.Id, scheduled.Uid, existing => existing?.Cancelled(), cancellationToken),
                cancellationToken);
    }

    /// <summary>The attendee's REPLY: for the whole event, or for the overridden <paramref name="instances"/> they answered alone (with RECURRENCE-ID).</summary>
    private Task ReplyAsync(Account attendee, ScheduledObject scheduled, string address, CancellationToken cancellationToken, IReadOnlySet<string>? instances = null)
        => SendAsync(attendee, scheduled, "REPLY", instances is null ? scheduled.Reply(address) : scheduled.Reply(address, instances), scheduled.Organizer!,
            async (organizer, reply) =>
            {
                if (await replies.ApplyAsync(organizer, reply, address, cancellationToken) is { } refused)
                    Log.ImipReplyIgnored(logger, scheduled.Uid, organizer.Address, refused);
            },
            cancellationToken, inbox: false);

    /// <summary>
    /// Delivers one iTIP message: to a local account's schedule inbox (then <paramref name="local"/> updates its calendar), or
    /// as iMIP mail. Returns the SCHEDULE-STATUS; a failure is logged, never thrown (the user's own write stands).
    /// </summary>
    private async Task<string> SendAsync(Account from, ScheduledObject scheduled, string method, string message, string to,
        Func<Account, ScheduledObject, Task> local, CancellationToken cancellationToken, bool inbox = true)
    {
        string status;
        try
        {
            if (await directory.GetAccountAsync(to, cancellationToken) is { Enabled: true } recipient)
            {
                var parsed = ScheduledObject.TryParse(message)!;
                if (inbox)
                    await calendars.DeliverToInboxAsync(recipient.Id, message, cancellationToken);
                await local(recipient, parsed);
                status = Delivered;
            }
            else
            {
                var sent = await imip.SendAsync(from, to, method, scheduled.Summary, message, cancellationToken);
                status = sent.IsSuccess ? Sent : NotDelivered;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.ScheduleFailed(logger, e, method, scheduled.Uid, to);
            return NotDelivered;
        }
        Log.Scheduled(logger, method, scheduled.Uid, from.Address, to, status);
        return status;
    }

    /// <summary>The attendees the server schedules: not the organizer, not those the client schedules itself.</summary>
    private static IEnumerable<ScheduleAttendee> Scheduled(ScheduledObject scheduled, string organizer)
        => scheduled.Attendees.Where(a => a.Address != organizer && !a.ScheduledByClient);

    /// <summary>The ATTENDEE line that is the user's own.</summary>
    private static ScheduleAttendee? Own(IReadOnlyList<string> addresses, ScheduledObject scheduled)
        => scheduled.Attendees.FirstOrDefault(a => CalendarUsers.Includes(addresses, a.Address));
}
