namespace SyncServer.Protocols.Filters;

/// <summary>
/// clamd's <c>zINSTREAM</c> command (clamd(8)): the command, the data in chunks each preceded by its length as 4
/// bytes in network order, a zero-length chunk to end; one NUL-terminated answer, <c>stream: OK</c>,
/// <c>stream: NAME FOUND</c> or <c>… ERROR</c>.
/// </summary>
public static class ClamdProtocol
{
    public static ReadOnlySpan<byte> InstreamCommand => "zINSTREAM\0"u8;

    /// <summary>True for <c>stream: OK</c> (<paramref name="virus"/> null) and <c>stream: NAME FOUND</c>; false for an error or anything else.</summary>
    public static bool TryParse(string reply, out string? virus)
    {
        const string prefix = "stream: ", found = " FOUND";
        reply = reply.TrimEnd('\n', '\0');
        virus = null;
        if (reply == prefix + "OK")
            return true;
        if (!reply.StartsWith(prefix, StringComparison.Ordinal) || !reply.EndsWith(found, StringComparison.Ordinal)
            || reply.Length <= prefix.Length + found.Length)
            return false;
        virus = reply[prefix.Length..^found.Length];
        return true;
    }
}
