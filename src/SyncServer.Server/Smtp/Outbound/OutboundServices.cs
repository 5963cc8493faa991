using SyncServer.Core.Delivery;
using SyncServer.Server.Hosting;

namespace SyncServer.Server.Smtp.Outbound;

public static class OutboundServices
{
    /// <summary>
    /// The outbound queue and its worker. Bounces go through local delivery, so the worker is started only when an
    /// <see cref="IDeliveryTarget"/> was registered before this call.
    /// </summary>
    public static IServiceCollection AddOutboundQueue(this IServiceCollection services, SyncServerSettings settings)
    {
        services.AddSingleton(settings.Queue);
        services.AddSingleton<IMailExchangeResolver>(DnsMailExchangeResolver.Create(settings.Dns));
        services.AddSingleton<OutboundQueueSignal>();
        services.AddSingleton<IRelayQueue, OutboundQueue>();
        services.AddSingleton<SmtpRelay>();
        services.AddSingleton(sp => new DeliveryReport(sp.GetRequiredService<SmtpRelay>().HeloName));
        services.AddSingleton<QueueNotices>();
        if (services.Any(d => d.ServiceType == typeof(IDeliveryTarget)))
            services.AddHostedService<OutboundQueueWorker>();
        return services;
    }
}
