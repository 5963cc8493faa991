namespace SyncServer.Protocols.Pop3;

/// <summary>Limits and named tolerances of <see cref="Pop3CommandParser"/>.</summary>
public sealed record Pop3ParserLimits
{
    public static readonly Pop3ParserLimits Default = new();

    /// <summary>
    /// Longest command line in octets, CRLF included. RFC 2449 §4 sets 255; the room above it is for long
    /// passwords and AUTH PLAIN initial responses, which clients do send past 255 (RFC 5034 §4 lets them).
    /// </summary>
    public int MaxCommandLineLength { get; init; } = 1024;

    /// <summary>
    /// Quirk: accept a line ended by a bare LF (netcat, scripts). Off: RFC 1939 §3 ends commands with CRLF.
    /// </summary>
    public bool AllowBareLineFeed { get; init; }
}
