using SyncServer.Protocols.CalDav;

namespace SyncServer.Server.Dav;

/// <summary>
/// Schedule-Tag (RFC 6638 §3.2.10) of a scheduling object resource (a calendar object with an ORGANIZER): derived from its text,
/// not stored — <see cref="ScheduledObject.ScheduleTag"/> digests what the organizer schedules, so the tag changes when the
/// organizer's change is scheduled (their PUT of a new time, summary, attendee list; a REQUEST or CANCEL filed in an
/// attendee's copy) and stays when an attendee's answer is recorded (their PUT of a new PARTSTAT, a reply merged into the
/// organizer's copy with its SCHEDULE-STATUS). Sent as the <c>Schedule-Tag</c> header on GET and PUT, the
/// <c>CALDAV:schedule-tag</c> property, and checked by <c>If-Schedule-Tag-Match</c> on PUT and DELETE (§8.3).
/// </summary>
public static class ScheduleTags
{
    public const string Header = "Schedule-Tag";

    /// <summary>The tag of a stored calendar object's text, or null when it is not a scheduling object resource.</summary>
    public static string? Of(string text)
        => text.Contains("ORGANIZER", StringComparison.OrdinalIgnoreCase) && ScheduledObject.TryParse(text) is { Organizer: not null, Method: null } scheduled
            ? scheduled.ScheduleTag
            : null;

    /// <summary>
    /// <c>If-Schedule-Tag-Match</c> (RFC 6638 §8.3): true when absent or equal to <paramref name="current"/>; otherwise answers
    /// 412 (also when the target is not a scheduling object resource, or does not exist) and returns false.
    /// </summary>
    public static async Task<bool> CheckAsync(DavContext context, string? current)
    {
        var wanted = context.Request.Headers["If-Schedule-Tag-Match"].ToString().Trim();
        if (wanted.Length == 0 || (current is not null && wanted == current))
            return true;
        if (current is not null)
            context.Response.Headers[Header] = current;
        await context.StatusAsync(StatusCodes.Status412PreconditionFailed);
        return false;
    }
}
