using System.Net;

namespace SyncServer.Server.Smtp;

/// <summary>Log messages of the SMTP session (event ids 3000–3099). Never credentials, never message bodies.</summary>
internal static partial class Log
{
    [LoggerMessage(3001, LogLevel.Warning, "SMTP session from {Remote} refused: too many sessions from that address")]
    public static partial void TooManySessions(ILogger logger, IPAddress? remote);

    [LoggerMessage(3002, LogLevel.Information, "SMTP session from {Remote} closed after {Errors} errors")]
    public static partial void TooManyErrors(ILogger logger, IPAddress? remote, int errors);

    [LoggerMessage(3003, LogLevel.Information, "SMTP session from {Remote} timed out")]
    public static partial void TimedOut(ILogger logger, IPAddress? remote);

    [LoggerMessage(3004, LogLevel.Debug, "SMTP connection from {Remote} lost")]
    public static partial void ConnectionLost(ILogger logger, IPAddress? remote, Exception exception);

    [LoggerMessage(3005, LogLevel.Warning, "SMTP session from {Remote} closed: data pipelined after STARTTLS")]
    public static partial void StartTlsInjection(ILogger logger, IPAddress? remote);

    [LoggerMessage(3006, LogLevel.Information, "SMTP message from {Remote} ({Channel}) committed: {Octets} octets, {Delivered} of {Recipients} recipients")]
    public static partial void MessageCommitted(ILogger logger, IPAddress? remote, Core.Delivery.DeliveryChannel channel, long octets, int delivered, int recipients);

    [LoggerMessage(3007, LogLevel.Error, "SMTP delivery from {Remote} failed")]
    public static partial void DeliveryFailed(ILogger logger, IPAddress? remote, Exception exception);
}
