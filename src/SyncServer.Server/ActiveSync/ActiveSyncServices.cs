using Microsoft.Extensions.DependencyInjection.Extensions;
using SyncServer.Core.Directory;
using SyncServer.Core.Store;
using SyncServer.Server.ActiveSync.Commands;
using SyncServer.Server.Hosting;

namespace SyncServer.Server.ActiveSync;

public static class ActiveSyncServices
{
    public static IServiceCollection AddActiveSync(this IServiceCollection services, ActiveSyncSettings settings)
    {
        services.AddSingleton(ProvisioningPolicy.From(settings.Policy));
        services.AddSingleton<IActiveSyncCommand, Provision>();
        services.AddSingleton<IActiveSyncCommand, FolderSync>();
        services.AddSingleton<IActiveSyncCommand, Settings>();
        services.AddSingleton(new SyncTimeBudget(settings.SyncTimeBudgetSeconds));
        services.AddSingleton(p => new DeviceCap(p.GetRequiredService<IDeviceStore>(), settings.MaxDevicesPerAccount, p.GetRequiredService<ILogger<DeviceCap>>()));
        services.AddSingleton<IActiveSyncCommand, Sync>();
        services.AddSingleton<IActiveSyncCommand, Ping>();
        services.AddSingleton<IActiveSyncCommand, GetItemEstimate>();
        services.AddSingleton<MailSubmission>();
        services.AddSingleton<SmartSource>();
        services.AddSingleton<IActiveSyncCommand, SendMail>();
        services.AddSingleton<IActiveSyncCommand, SmartReply>();
        services.AddSingleton<IActiveSyncCommand, SmartForward>();
        services.AddSingleton<IActiveSyncCommand, ItemOperations>();
        services.AddSingleton<IActiveSyncCommand, GetAttachment>();
        services.AddSingleton<IActiveSyncCommand, FolderCreate>();
        services.AddSingleton<IActiveSyncCommand, FolderUpdate>();
        services.AddSingleton<IActiveSyncCommand, FolderDelete>();
        services.AddSingleton<IActiveSyncCommand, MoveItems>();
        services.AddSingleton<IActiveSyncCommand, ValidateCert>();
        services.AddSingleton<IActiveSyncCommand, Search>();
        services.AddSingleton<IActiveSyncCommand, MeetingResponse>();
        services.TryAddSingleton<GlobalAddressList>();
        services.AddSingleton<IActiveSyncCommand, ResolveRecipients>();
        services.AddSingleton<PingRegistry>();
        services.AddSingleton<CommandTable>();
        services.AddSingleton<ActiveSyncEndpoint>();
        services.AddSingleton<AutodiscoverEndpoint>();
        return services;
    }

    public static IEndpointRouteBuilder MapActiveSync(this IEndpointRouteBuilder app)
    {
        app.MapMethods(ActiveSyncEndpoint.Path, [HttpMethods.Options],
            (HttpContext context, ActiveSyncEndpoint endpoint) => endpoint.OptionsAsync(context));
        app.MapPost(ActiveSyncEndpoint.Path, (HttpContext context, ActiveSyncEndpoint endpoint) => endpoint.PostAsync(context));
        app.MapGet(ActiveSyncEndpoint.Path, ActiveSyncEndpoint.Get);
        app.MapPost(AutodiscoverEndpoint.Path, (HttpContext context, AutodiscoverEndpoint endpoint) => endpoint.PostAsync(context));
        return app;
    }
}
