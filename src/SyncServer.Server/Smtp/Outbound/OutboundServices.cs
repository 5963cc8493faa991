using SyncServer.Core.Delivery;
using SyncServer.Server.Hosting;

namespace SyncServer.Server.Smtp.Outbound;

public static class OutboundServices
{
    /// <summary>The outbound queue (local delivery's <see cref="IRelayQueue"/>) and its worker, which needs an <see cref="IDeliveryTarget"/> for notices.</summary>
    public static IServiceCollection AddOutboundQueue(this IServiceCollection services, SyncServerSettings settings)
    {
        services.AddSingleton(settings.Queue);
        services.AddSingleton<IMailExchangeResolver>(DnsMailExchangeResolver.Create(settings.Dns));
        services.AddSingleton<OutboundQueueSignal>();
        services.AddSingleton<IRelayQueue, OutboundQueue>();
        services.AddSingleton<SmtpRelay>();
        services.AddSingleton(new DeliveryReport(settings.ServerName));
        services.AddSingleton<QueueNotices>();
        services.AddHostedService<OutboundQueueWorker>();
        return services;
    }
}
