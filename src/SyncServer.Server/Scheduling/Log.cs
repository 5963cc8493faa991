namespace SyncServer.Server.Scheduling;

/// <summary>Scheduling log events (7100–7149, within DAV's 7xxx).</summary>
internal static partial class Log
{
    [LoggerMessage(7100, LogLevel.Information, "Scheduling {Method} for {Uid} from {From} to {To}: {Status}")]
    public static partial void Scheduled(ILogger logger, string method, string uid, string from, string to, string status);

    [LoggerMessage(7101, LogLevel.Warning, "Scheduling {Method} for {Uid} to {To} failed")]
    public static partial void ScheduleFailed(ILogger logger, Exception exception, string method, string uid, string to);

    [LoggerMessage(7102, LogLevel.Information, "iMIP REPLY for {Uid} from {Attendee} applied to {Organizer}'s event: {PartStat}")]
    public static partial void ImipReplyApplied(ILogger logger, string uid, string attendee, string organizer, string partStat);

    [LoggerMessage(7103, LogLevel.Information, "iMIP REPLY for {Uid} to {Organizer} ignored: {Reason}")]
    public static partial void ImipReplyIgnored(ILogger logger, string uid, string organizer, string reason);

    [LoggerMessage(7104, LogLevel.Warning, "iMIP message {Item} of {Account} could not be read")]
    public static partial void ImipUnreadable(ILogger logger, Exception exception, long item, string account);

    [LoggerMessage(7301, LogLevel.Information, "iMIP {Method} for {Uid} from {Organizer} applied to {Attendee}'s calendar")]
    public static partial void ImipInvitationApplied(ILogger logger, string method, string uid, string organizer, string attendee);

    [LoggerMessage(7302, LogLevel.Warning, "iMIP {Method} for {Uid} to {Attendee} ignored: {Reason}")]
    public static partial void ImipInvitationIgnored(ILogger logger, string method, string uid, string attendee, string reason);
}
