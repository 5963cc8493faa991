namespace SyncServer.Server.Dav;

/// <summary>DAV log events (7xxx).</summary>
internal static partial class Log
{
    [LoggerMessage(7001, LogLevel.Debug, "DAV {Method} {Path} by {Account}: {Status}")]
    public static partial void Request(ILogger logger, string method, string path, string account, int status);

    [LoggerMessage(7002, LogLevel.Information, "DAV request refused: {Reason}")]
    public static partial void BadRequest(ILogger logger, string reason);

    [LoggerMessage(7003, LogLevel.Warning, "DAV {Method} {Path} failed")]
    public static partial void Failed(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(7300, LogLevel.Information, "DAV share of {Owner}/{Collection} with {Sharee} set to {Access}: {Outcome}")]
    public static partial void Shared(ILogger logger, string owner, string collection, string sharee, string access, string outcome);
}
