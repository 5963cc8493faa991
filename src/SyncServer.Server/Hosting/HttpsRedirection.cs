namespace SyncServer.Server.Hosting;

/// <summary>Plain HTTP redirects to HTTPS, except health, metrics and ACME HTTP-01 challenges (which must stay plain).</summary>
public static class HttpsRedirection
{
    private static readonly PathString[] PlainPaths = ["/healthz", "/metrics", "/.well-known/acme-challenge"];

    public static IApplicationBuilder UseHttpsRedirectionExceptOps(this IApplicationBuilder app, int httpsPort)
        => app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (httpsPort == 0 || request.IsHttps || PlainPaths.Any(p => request.Path.StartsWithSegments(p)))
            {
                await next(context);
                return;
            }
            var host = request.Host.HasValue ? request.Host.Host : context.Connection.LocalIpAddress?.ToString() ?? "localhost";
            var port = httpsPort == 443 ? "" : $":{httpsPort}";
            context.Response.Redirect($"https://{host}{port}{request.PathBase}{request.Path}{request.QueryString}", permanent: false, preserveMethod: true);
        });
}
