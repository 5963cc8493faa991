namespace SyncServer.Protocols.Imap;

/// <summary>Limits of <see cref="ImapCommandParser"/>. Every one is checked before the bytes it guards are held.</summary>
public sealed record ImapParserLimits
{
    public static readonly ImapParserLimits Default = new();

    /// <summary>
    /// Octets of one command outside its literals, CRLFs included. RFC 9051 §4 sets no limit but asks servers to
    /// accept at least 8192; 64 KiB leaves room for long UID sets (RFC 7162 clients send thousands of UIDs).
    /// </summary>
    public int MaxLineLength { get; init; } = 64 * 1024;

    /// <summary>Largest literal in octets; the session advertises it as <c>APPENDLIMIT=</c> (RFC 7889).</summary>
    public long MaxLiteralSize { get; init; } = 50L * 1024 * 1024;

    /// <summary>
    /// Literals in one command. APPEND needs two (name and message), SETMETADATA a few; the limit bounds what a
    /// command can make the session buffer to <c>MaxLiteralsPerCommand × MaxLiteralSize</c> (APPEND's message
    /// literal is not buffered: the session streams it).
    /// </summary>
    public int MaxLiteralsPerCommand { get; init; } = 8;

    /// <summary>
    /// Largest non-synchronizing literal <c>{n+}</c>: null advertises LITERAL+ (up to <see cref="MaxLiteralSize"/>),
    /// 4096 advertises LITERAL- (RFC 7888 §4, §5).
    /// </summary>
    public long? MaxNonSynchronizingLiteralSize { get; init; }

    /// <summary>Comma-separated parts of one sequence set: each is a range the session evaluates.</summary>
    public int MaxSequenceSetRanges { get; init; } = 10_000;

    /// <summary>Depth of parenthesised lists and NOT/OR chains in search keys, bounding parser recursion.</summary>
    public int MaxNestingDepth { get; init; } = 32;
}

/// <summary>
/// What command framing remembers across reads: how far into the (still unconsumed) current command it has
/// looked, so a synchronizing literal is acknowledged once, and what it is discarding after a refusal. The
/// session keeps one per connection and starts a fresh one with a fresh input buffer (STARTTLS, COMPRESS).
/// </summary>
public struct ImapCommandState
{
    /// <summary>Octets of the current command framed so far, counted from its first octet; may point past
    /// the buffered input while a literal is still arriving.</summary>
    internal long Examined;

    /// <summary>Of those, the octets outside literals (<see cref="ImapParserLimits.MaxLineLength"/>).</summary>
    internal long LineOctets;

    internal int Literals;

    /// <summary>Set while the rest of a refused command is being dropped; reported when it ends.</summary>
    internal ImapSyntaxError? PendingError;

    /// <summary>Literal octets still to drop while discarding.</summary>
    internal long SkipLiteral;

    /// <summary>Set from an <see cref="Append"/> until its end: its tag; the caller reads its message literal.</summary>
    internal string? AppendTag;

    /// <summary>Octets of the APPEND message literal the caller has still to read.</summary>
    internal long AppendRemaining;

    internal bool AppendBinary;

    /// <summary>A NUL was seen in an APPEND message sent as a literal, not a literal8 (RFC 9051 §4.3).</summary>
    internal bool AppendNul;
}
