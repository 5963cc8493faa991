namespace SyncServer.Protocols.ActiveSync.Wbxml;

/// <summary>Limits of <see cref="WbxmlDecoder"/>. Each is checked before the memory it guards is allocated.</summary>
public sealed record WbxmlLimits
{
    public static readonly WbxmlLimits Default = new();

    /// <summary>
    /// Largest document in bytes. SendMail/SmartReply carry a whole message (ComposeMail <c>Mime</c>), so this sits
    /// above the server's 50 MB message limit plus the few bytes of WBXML around it. The HTTP layer should also
    /// stop reading a body past it.
    /// </summary>
    public long MaxInputSize { get; init; } = 64L * 1024 * 1024;

    /// <summary>Longest inline string or opaque value in bytes (the MIME of a message is one such value).</summary>
    public int MaxStringLength { get; init; } = 64 * 1024 * 1024;

    /// <summary>
    /// Deepest element nesting. The deepest real documents (a Sync response with a recurring meeting request:
    /// Sync/Collections/Collection/Commands/Add/ApplicationData/MeetingRequest/Recurrences/Recurrence/…) are about
    /// ten deep; 64 leaves room without letting a crafted document nest without bound. It also bounds time:
    /// <c>XElement.Add</c> walks from the parent up to the root, so each element costs O(depth).
    /// </summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>
    /// Elements in one document. A Sync request carrying a few thousand client changes of ~20 elements each is the
    /// largest legitimate request; every element costs an XElement (~100 bytes), so this bounds memory too.
    /// </summary>
    public int MaxElements { get; init; } = 200_000;
}
