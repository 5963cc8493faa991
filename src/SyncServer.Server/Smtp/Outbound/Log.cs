namespace SyncServer.Server.Smtp.Outbound;

/// <summary>Log messages of the outbound queue (event ids 2600–2649).</summary>
internal static partial class Log
{
    [LoggerMessage(2601, LogLevel.Information, "Queued message {Message} for {Count} recipients")]
    public static partial void Enqueued(ILogger logger, long message, int count);

    [LoggerMessage(2602, LogLevel.Debug, "Cannot connect to {Host} [{Address}]: {Error}")]
    public static partial void HostUnreachable(ILogger logger, string host, System.Net.IPAddress address, string error);

    [LoggerMessage(2603, LogLevel.Information, "Message {Message} to {Recipient}: {Code} {EnhancedCode} {Text} -> {State}")]
    public static partial void Attempted(ILogger logger, long message, string recipient, int code, string enhancedCode, string text, string state);

    [LoggerMessage(2604, LogLevel.Information, "Sent a {Notice} for message {Message} to {Sender} ({Count} recipients)")]
    public static partial void NoticeSent(ILogger logger, string notice, long message, string sender, int count);

    [LoggerMessage(2605, LogLevel.Warning, "The {Notice} for message {Message} to {Sender} was refused: {Status}")]
    public static partial void NoticeRefused(ILogger logger, string notice, long message, string sender, string status);

    [LoggerMessage(2607, LogLevel.Error, "Cannot send the notices of message {Message}; retrying at the next run")]
    public static partial void NoticeFailed(ILogger logger, long message, Exception exception);

    [LoggerMessage(2606, LogLevel.Error, "Outbound queue run failed; retrying at the next wake-up")]
    public static partial void RunFailed(ILogger logger, Exception exception);
}
