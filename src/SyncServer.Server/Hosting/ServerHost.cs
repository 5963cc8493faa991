using System.Reflection;
using System.Security.Cryptography;
using Prometheus;
using SyncServer.Core.Credentials;
using SyncServer.Core.Delivery;
using SyncServer.Core.Directory;
using SyncServer.Core.MailAuth;
using SyncServer.Core.Store;
using SyncServer.Server.ActiveSync;
using SyncServer.Server.Filters;
using SyncServer.Server.Dav;
using SyncServer.Server.Imap;
using SyncServer.Server.Scheduling;
using SyncServer.Server.Shared;
using SyncServer.Server.Smtp.Outbound;
using SyncServer.Storage;

namespace SyncServer.Server.Hosting;

/// <summary>The <c>serve</c> verb: the composition root of the running server.</summary>
public static class ServerHost
{
    public const string InitialAdministrator = "admin";

    /// <summary>Runs until SIGTERM/Ctrl+C: stops accepting, lets in-flight requests finish, then closes the store.</summary>
    public static async Task<int> RunAsync(IConfiguration configuration, SyncServerSettings settings)
    {
        var time = TimeProvider.System;
        await using var store = await StoreHost.OpenAsync(settings.ToStorageOptions(), time, CancellationToken.None);
        await using var app = Build(configuration, settings, store, time);
        try
        {
            app.Services.GetRequiredService<ServerCertificate>();
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"error: cannot load the TLS certificate: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
        var removed = SpoolCleanup.RemoveLeftovers(app.Services.GetRequiredService<DeliveryOptions>().TempDirectory, StartedAt);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ServerHost));
        if (removed > 0)
            Log.SpoolCleaned(logger, removed);
        await UnfinishedDeliveryRollback.RollBackAsync(store.Store, store.Queue,
            UnfinishedDeliveryRollback.StartupCut(settings.Storage.Provider, StartedAt, time.GetUtcNow()), logger, CancellationToken.None);
        var password = await app.Services.GetRequiredService<DirectoryAdministration>().EnsureAdministratorAsync(InitialAdministrator, CancellationToken.None);
        if (password is not null)
            Console.WriteLine($"Administrator account created: {InitialAdministrator} / {password} (shown once; change it with ./syncserver admin passwd)");
        var listeners = settings.Listeners;
        Log.Listening(logger, listeners.Http, listeners.Https, listeners.Smtp, listeners.Submission, listeners.Smtps);
        await app.RunAsync();
        return 0;
    }

    private static WebApplication Build(IConfiguration configuration, SyncServerSettings settings, OpenedStore store, TimeProvider time)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning); // no line per request
        // Logs go to stderr, so stdout carries only what a script may read (the one-time admin password).
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(time);
        services.AddSingleton(store.Store);
        services.AddSingleton(store.Directory);
        services.AddSingleton(store.Queue);
        services.AddSingleton(store.Devices);
        services.AddSingleton(store.MailboxSettings);
        services.AddSingleton(store.OutOfOffice);
        services.AddSingleton(store.Blobs);
        services.AddSingleton(store.Notifier);
        services.AddSingleton(new PasswordHasher(settings.Security.PasswordIterations));
        services.AddSingleton<DirectoryAdministration>();
        services.AddSingleton(sp => ServerCertificate.Load(settings, time, sp.GetRequiredService<ILogger<ServerCertificate>>()));
        services.AddSingleton(new LoginThrottleOptions());
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<Authenticator>();
        services.AddSingleton(DkimKeys.For(settings));
        services.AddSingleton(settings.Dkim);
        services.AddSingleton<DkimSigning>();
        services.AddSingleton<IMessageSigner>(sp => sp.GetRequiredService<DkimSigning>());
        services.AddSingleton(new DeliveryOptions
        {
            ServerName = settings.ServerName,
            MaxRecipients = settings.Limits.MaxRecipients,
            TempDirectory = Path.Combine(Path.GetFullPath(settings.DataDirectory), "spool"),
            EnforceDmarcReject = settings.Mail.EnforceDmarcReject,
        });
        services.AddSingleton<IDnsLookup>(new DnsLookup(DnsLookup.CreateClient(settings.Dns)));
        services.AddSingleton(sp => new InboundAuthenticator(sp.GetRequiredService<IDnsLookup>(), settings.ServerName));
        services.AddContentFilter(settings.Filters);
        services.AddSingleton<IDeliveryTarget, LocalDeliveryTarget>();
        services.AddOutboundQueue(settings);
        services.AddSmtp(settings);
        services.AddPop3();
        services.AddActiveSync(settings.ActiveSync);
        services.AddScheduling();
        services.AddDav();
        services.AddHostedService<ChangeLogPruning>();
        services.AddHostedService<BlobSweep>();
        services.AddHostedService<UnfinishedDeliveryRollback>();

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = settings.Limits.MaxMessageSize;
            if (settings.Listeners.Http > 0)
                kestrel.ListenAnyIP(settings.Listeners.Http);
            if (settings.Listeners.Https > 0)
            {
                var certificate = kestrel.ApplicationServices.GetRequiredService<ServerCertificate>().Certificate;
                kestrel.ListenAnyIP(settings.Listeners.Https, listen => listen.UseHttps(certificate));
            }
            kestrel.ListenSmtp(settings.Listeners, kestrel.ListenAnyIP);
            kestrel.ListenPop3(settings.Listeners, kestrel.ListenAnyIP);
        });

        builder.AddImapListeners(settings);

        var app = builder.Build();
        app.UseHttpsRedirectionExceptOps(settings.Listeners.Https);
        app.UseRouting();
        app.UseHttpMetrics();
        app.MapGet("/healthz", CheckHealthAsync);
        app.MapMetrics("/metrics");
        app.MapActiveSync();
        app.MapDav();
        Metrics.CreateGauge("syncserver_build_info", "Build of the running server (always 1).", "version").WithLabels(Version).Set(1);
        return app;
    }

    private static async Task<IResult> CheckHealthAsync(IStore store, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        try
        {
            await store.CheckHealthAsync(cancellationToken);
            return Results.Text("ok");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.HealthCheckFailed(loggers.CreateLogger("SyncServer.Server.Health"), e);
            return Results.Text("unavailable", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static DateTimeOffset StartedAt => new(System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime());

    private static string Version =>
        typeof(ServerHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
