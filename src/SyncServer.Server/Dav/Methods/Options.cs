namespace SyncServer.Server.Dav.Methods;

/// <summary>OPTIONS (RFC 4918 §10.1, RFC 4791 §5.1, RFC 6352 §6.1, RFC 5689 §3.1): the compliance classes actually implemented.</summary>
public static class Options
{
    /// <summary>
    /// No class 2 (no LOCK): clients decide features from this list, so it names only what works. calendar-auto-schedule (RFC
    /// 6638 §2) tells clients the server sends invitations and replies itself, so they must not mail them too.
    /// calendarserver-sharing and resource-sharing: a calendar or address book is shared by a POST (<see cref="Share"/>).
    /// </summary>
    public const string ComplianceClasses =
        "1, 3, access-control, calendar-access, calendar-auto-schedule, calendarserver-sharing, resource-sharing, addressbook, extended-mkcol";

    public static Task HandleAsync(DavContext context)
    {
        context.Response.Headers["DAV"] = ComplianceClasses;
        context.Response.Headers.Allow = string.Join(", ", DavEndpoints.AllowedMethods);
        context.Response.ContentLength = 0;
        return context.StatusAsync(StatusCodes.Status200OK);
    }
}
