using Microsoft.Extensions.Logging;

namespace SyncServer.Server.Hosting;

/// <summary>Log messages of the host (event ids 1000–1099).</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Generated a self-signed TLS certificate at {Path} for {Subject}")]
    public static partial void CertificateGenerated(ILogger logger, string path, string subject);

    [LoggerMessage(1002, LogLevel.Information, "TLS certificate {Subject}, valid until {NotAfter:O}")]
    public static partial void CertificateLoaded(ILogger logger, string subject, DateTime notAfter);

    [LoggerMessage(1003, LogLevel.Warning, "Health check failed")]
    public static partial void HealthCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(1004, LogLevel.Information, "Listening: HTTP {HttpPort}, HTTPS {HttpsPort}, SMTP {SmtpPort}, submission {SubmissionPort}, SMTPS {SmtpsPort} (0 = off)")]
    public static partial void Listening(ILogger logger, int httpPort, int httpsPort, int smtpPort, int submissionPort, int smtpsPort);

    [LoggerMessage(1005, LogLevel.Information, "Removed {Count} spool files left by an earlier run")]
    public static partial void SpoolCleaned(ILogger logger, int count);

    [LoggerMessage(1006, LogLevel.Warning, "Rolled back {Count} deliveries that stored copies but never finished (their senders got no 250)")]
    public static partial void UnfinishedDeliveriesRolledBack(ILogger logger, int count);

    [LoggerMessage(1010, LogLevel.Information, "Pruned {Count} change-log rows older than {OlderThan:O}")]
    public static partial void ChangesPruned(ILogger logger, int count, DateTimeOffset olderThan);

    [LoggerMessage(1011, LogLevel.Information, "Blob sweep deleted {Count} unreferenced blobs")]
    public static partial void BlobsSwept(ILogger logger, int count);

    [LoggerMessage(1012, LogLevel.Error, "Maintenance task {Task} failed")]
    public static partial void MaintenanceFailed(ILogger logger, string task, Exception exception);
}
