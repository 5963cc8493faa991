using SyncServer.Core.Delivery;

namespace SyncServer.Server.Scheduling;

public static class SchedulingServices
{
    /// <summary>Implicit scheduling (used by DAV) and the inbound iMIP observer local delivery tells of each delivered message.</summary>
    public static IServiceCollection AddScheduling(this IServiceCollection services)
    {
        services.AddSingleton<CalendarStore>();
        services.AddSingleton<CalendarUsers>();
        services.AddSingleton<ScheduleReplies>();
        services.AddSingleton<ImipInvitations>();
        services.AddSingleton<ImipSender>();
        services.AddSingleton<CalendarScheduler>();
        services.AddSingleton<IDeliveredMessageObserver, ImipReceiver>();
        return services;
    }
}
