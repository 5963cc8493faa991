namespace SyncServer.Server.Dav;

/// <summary>
/// The URL layout of DESIGN.md §5: <c>/dav/principals/{user}/</c>, <c>/dav/calendars/{user}/{name}/</c>, <c>/dav/addressbooks/{user}/{name}/</c>;
/// and <c>/dav/files/{user}/…</c>, the user's plain WebDAV collections and resources (any depth).
/// </summary>
public static class DavPaths
{
    public const string Root = "/dav/";
    public const string Principals = "/dav/principals/";
    public const string Calendars = "calendars";
    public const string AddressBooks = "addressbooks";
    public const string Files = "files";

    /// <summary>The directory address book's segment in every address book home (reserved: no address book of the user shows under it).</summary>
    public const string Directory = "directory";

    /// <summary>The character that joins a shared collection's name and its owner; names made by MKCOL may not contain it.</summary>
    public const char ShareSeparator = '~';

    public static string Principal(string user) => $"{Principals}{Segment(user)}/";

    public static string CalendarHome(string user) => $"{Root}{Calendars}/{Segment(user)}/";

    /// <summary>The schedule inbox (RFC 6638 §2.2) and outbox (§2.1) sit in the calendar home under these names.</summary>
    public const string InboxSegment = "inbox";
    public const string OutboxSegment = "outbox";

    public static string ScheduleInbox(string user) => $"{CalendarHome(user)}{InboxSegment}/";

    public static string ScheduleOutbox(string user) => $"{CalendarHome(user)}{OutboxSegment}/";

    public static string AddressBookHome(string user) => $"{Root}{AddressBooks}/{Segment(user)}/";

    public static string FilesHome(string user) => $"{Root}{Files}/{Segment(user)}/";

    /// <summary>The segment of a collection shared with the user, in the user's home: <c>{name}~{owner address}</c>, stable while the share lasts.</summary>
    public static string SharedName(string owner, string collection) => $"{collection}{ShareSeparator}{owner}";

    /// <summary>One path segment, percent-encoded except the <c>@</c> of an address (a valid pchar).</summary>
    public static string Segment(string name) => Uri.EscapeDataString(name).Replace("%40", "@", StringComparison.Ordinal);

    /// <summary>The decoded segments of a path (or a full URL's path) under <c>/dav/</c>; null when it is not under it.</summary>
    public static string[]? Split(string pathOrUrl)
    {
        var path = pathOrUrl;
        if (Uri.TryCreate(pathOrUrl, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal))
            path = absolute.AbsolutePath;
        path = Uri.UnescapeDataString(path);
        if (!path.StartsWith("/dav", StringComparison.Ordinal) || (path.Length > 4 && path[4] != '/'))
            return null;
        return path[4..].Split('/', StringSplitOptions.RemoveEmptyEntries);
    }
}
