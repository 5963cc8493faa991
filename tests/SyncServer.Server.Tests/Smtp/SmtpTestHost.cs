using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SyncServer.Core.Credentials;
using SyncServer.Core.Delivery;
using SyncServer.Core.Directory;
using SyncServer.Server.Hosting;
using SyncServer.Server.Shared;
using SyncServer.Server.Smtp;
using SyncServer.Server.Tests.Cli;
using SyncServer.Storage;

namespace SyncServer.Server.Tests.Smtp;

/// <summary>
/// The three SMTP listeners in process, on real loopback sockets, wired by the production <see cref="Listeners"/>
/// code, over a real SQLite directory (for AUTH) and a <see cref="RecordingDeliveryTarget"/>; time is a
/// <see cref="FakeTimeProvider"/> so timeouts and throttling can be driven. The two POP3 listeners run beside them
/// over the same store, for the POP3 tests that need the clock (autologout).
/// </summary>
public sealed class SmtpTestHost : IAsyncDisposable
{
    public const string User = "bob@example.org";
    /// <summary>A second account, for tests that lock an account out.</summary>
    public const string OtherUser = "carol@example.org";
    public const string Password = "correct horse";
    public const long MaxMessageSize = 1024 * 1024;

    private readonly string _data;
    private readonly OpenedStore _store;
    private readonly WebApplication _app;

    private SmtpTestHost(string data, OpenedStore store, WebApplication app, ListenerSettings ports, FakeTimeProvider time, RecordingDeliveryTarget delivery)
    {
        (_data, _store, _app, Ports, Time, Delivery) = (data, store, app, ports, time, delivery);
    }

    public ListenerSettings Ports { get; }
    public FakeTimeProvider Time { get; }
    public RecordingDeliveryTarget Delivery { get; }

    public int Port(SmtpListenerKind kind) => kind switch
    {
        SmtpListenerKind.Mx => Ports.Smtp,
        SmtpListenerKind.Submission => Ports.Submission,
        _ => Ports.Smtps,
    };

    public static async Task<SmtpTestHost> StartAsync(Func<SmtpOptions, SmtpOptions>? configure = null)
    {
        var data = Path.Combine(Path.GetTempPath(), "syncserver-smtp-" + Guid.NewGuid().ToString("N"));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = await StoreHost.OpenAsync(new StorageOptions { DataDirectory = data }, time, CancellationToken.None);
        var hasher = new PasswordHasher(1000);
        var admin = new DirectoryAdministration(store.Directory, hasher);
        await admin.AddDomainAsync(RecordingDeliveryTarget.LocalDomain, CancellationToken.None);
        await admin.AddUserAsync(User, Password, null, null, CancellationToken.None);
        await admin.AddUserAsync(OtherUser, Password, null, null, CancellationToken.None);

        var settings = new SyncServerSettings
        {
            ServerName = "mx.test",
            Listeners = new ListenerSettings
            {
                Smtp = ServerProcess.FreePort(), Submission = ServerProcess.FreePort(), Smtps = ServerProcess.FreePort(),
                Pop3 = ServerProcess.FreePort(), Pop3s = ServerProcess.FreePort(),
            },
            Limits = new LimitSettings { MaxMessageSize = MaxMessageSize, MaxSmtpSessionsPerIp = 5 },
        };
        var delivery = new RecordingDeliveryTarget();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        var services = builder.Services;
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton(store.Directory);
        services.AddSingleton(store.Store);
        services.AddSingleton(store.Blobs);
        services.AddSingleton(hasher);
        services.AddSingleton(new ServerCertificate(SelfSigned()));
        // Many tests fail logins from 127.0.0.1 on purpose; only the per-account limit is under test here.
        services.AddSingleton(new LoginThrottleOptions { MaxFailuresPerAddress = 10_000 });
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<Authenticator>();
        services.AddSingleton<IDeliveryTarget>(delivery);
        services.AddSmtp(settings);
        services.AddPop3();
        if (configure is not null)
            services.AddSingleton(configure(SmtpOptions.From(settings)));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenSmtp(settings.Listeners, kestrel.ListenLocalhost);
            kestrel.ListenPop3(settings.Listeners, kestrel.ListenLocalhost);
        });
        var app = builder.Build();
        await app.StartAsync();
        return new SmtpTestHost(data, store, app, settings.Listeners, time, delivery);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _store.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
