namespace SyncServer.Server.Filters;

/// <summary>Log messages of the spam and virus filters (event ids 2700–2749). Never message contents.</summary>
internal static partial class Log
{
    [LoggerMessage(2701, LogLevel.Warning, "{Filter} at {Endpoint} is unavailable ({Error}): {Consequence}")]
    public static partial void Unavailable(ILogger logger, string filter, string endpoint, string error, string consequence);

    [LoggerMessage(2702, LogLevel.Information, "clamd found {Virus}")]
    public static partial void VirusFound(ILogger logger, string virus);

    [LoggerMessage(2703, LogLevel.Debug, "spamd scored {Score}: {Symbols}")]
    public static partial void SpamScored(ILogger logger, double score, string symbols);
}
