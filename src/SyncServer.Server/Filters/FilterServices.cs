using SyncServer.Core.Delivery;
using SyncServer.Server.Hosting;

namespace SyncServer.Server.Filters;

/// <summary>Composition of the delivery filters from the <c>Filters</c> section.</summary>
public static class FilterServices
{
    /// <summary>Registers the <see cref="ContentFilter"/> local delivery uses, when spamd or clamd is configured.</summary>
    public static void AddContentFilter(this IServiceCollection services, FilterSettings settings)
    {
        if (settings.Spam.Spamd is null && settings.Virus.Clamd is null)
            return;
        services.AddSingleton(sp =>
        {
            var time = sp.GetRequiredService<TimeProvider>();
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FilterServices).Namespace!);
            var spam = settings.Spam.Spamd is { } spamd ? new SpamdClient(new FilterDaemon("spamd", spamd, settings, time, logger), logger) : null;
            var virus = settings.Virus.Clamd is { } clamd ? new ClamdClient(new FilterDaemon("clamd", clamd, settings, time, logger), logger) : null;
            var options = new ContentFilterOptions
            {
                FailOpen = settings.FailMode == FilterFailMode.Open,
                JunkScore = settings.Spam.JunkScore,
                RejectScore = settings.Spam.RejectScore,
                MaxSpamScanSize = settings.Spam.MaxSize,
                MaxVirusScanSize = settings.Virus.MaxSize,
            };
            return new ContentFilter(options, spam, virus);
        });
    }
}
