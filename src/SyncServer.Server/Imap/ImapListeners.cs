using Microsoft.AspNetCore.Connections;
using SyncServer.Server.Hosting;

namespace SyncServer.Server.Imap;

/// <summary>The IMAP listeners: <c>Listeners:Imap</c> (STARTTLS) and <c>Listeners:Imaps</c> (implicit TLS).</summary>
public static class ImapListeners
{
    public static WebApplicationBuilder AddImapListeners(this WebApplicationBuilder builder, SyncServerSettings settings)
    {
        builder.Services.AddSingleton(ImapOptions.From(settings));
        builder.Services.AddSingleton<ImapServices>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (settings.Listeners.Imap > 0)
                kestrel.ListenAnyIP(settings.Listeners.Imap, listen => listen.UseConnectionHandler<ImapConnectionHandler>());
            if (settings.Listeners.Imaps > 0)
            {
                var certificate = kestrel.ApplicationServices.GetRequiredService<ServerCertificate>().Certificate;
                kestrel.ListenAnyIP(settings.Listeners.Imaps, listen =>
                {
                    listen.UseHttps(certificate);
                    listen.UseConnectionHandler<ImapConnectionHandler>();
                });
            }
        });
        return builder;
    }
}
