using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using SyncServer.Server.Pop3;
using SyncServer.Server.Smtp;

namespace SyncServer.Server.Hosting;

/// <summary>Binds the line-protocol listeners from <c>Listeners:*</c> (0 disables one) and registers their services.</summary>
public static class Listeners
{
    public static IServiceCollection AddSmtp(this IServiceCollection services, SyncServerSettings settings)
    {
        services.AddSingleton(SmtpOptions.From(settings));
        services.AddSingleton<SmtpServices>();
        services.AddSingleton<SmtpSessionLimiter>();
        services.AddSingleton<SmtpConnectionHandler>();
        return services;
    }

    /// <summary>MX and submission start in clear text (STARTTLS); SMTPS does the TLS handshake first (RFC 8314).</summary>
    /// <param name="listen">How to bind a port: <c>ListenAnyIP</c> when serving, <c>ListenLocalhost</c> in tests.</param>
    public static void ListenSmtp(this KestrelServerOptions kestrel, ListenerSettings listeners, Action<int, Action<ListenOptions>> listen)
    {
        Bind(kestrel, listen, listeners.Smtp, SmtpListenerKind.Mx);
        Bind(kestrel, listen, listeners.Submission, SmtpListenerKind.Submission);
        Bind(kestrel, listen, listeners.Smtps, SmtpListenerKind.Smtps);
    }

    public static IServiceCollection AddPop3(this IServiceCollection services)
    {
        services.AddSingleton(new Pop3Options());
        services.AddSingleton<Pop3Services>();
        services.AddSingleton<Pop3ConnectionHandler>();
        return services;
    }

    /// <summary>POP3 starts in clear text (STLS, RFC 2595); POP3S does the TLS handshake first (RFC 8314).</summary>
    public static void ListenPop3(this KestrelServerOptions kestrel, ListenerSettings listeners, Action<int, Action<ListenOptions>> listen)
    {
        if (listeners.Pop3 > 0)
            listen(listeners.Pop3, options => options.UseConnectionHandler<Pop3ConnectionHandler>());
        if (listeners.Pop3s > 0)
            listen(listeners.Pop3s, options =>
            {
                options.UseHttps(kestrel.ApplicationServices.GetRequiredService<ServerCertificate>().Certificate);
                options.UseConnectionHandler<Pop3ConnectionHandler>();
            });
    }

    private static void Bind(KestrelServerOptions kestrel, Action<int, Action<ListenOptions>> bind, int port, SmtpListenerKind kind)
    {
        if (port == 0)
            return;
        bind(port, listen =>
        {
            if (kind == SmtpListenerKind.Smtps)
                listen.UseHttps(kestrel.ApplicationServices.GetRequiredService<ServerCertificate>().Certificate);
            var feature = new SmtpListenerFeature(kind);
            listen.Use(next => connection =>
            {
                connection.Features.Set(feature);
                return next(connection);
            });
            listen.UseConnectionHandler<SmtpConnectionHandler>();
        });
    }
}
