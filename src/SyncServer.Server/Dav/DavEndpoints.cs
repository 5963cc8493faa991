using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SyncServer.Core.Directory;
using SyncServer.Core.Store;
using SyncServer.Server.Dav.Methods;
using SyncServer.Server.Shared;

namespace SyncServer.Server.Dav;

/// <summary>
/// Mounts DAV on the HTTPS host: <c>/.well-known/caldav|carddav</c> redirect to <c>/dav/</c> without authentication
/// (RFC 6764 §5); everything under <c>/dav/</c> needs Basic authentication through the shared <see cref="Authenticator"/>
/// and its throttle, then goes to one handler per method.
/// </summary>
public static class DavEndpoints
{
    private static readonly Dictionary<string, Func<DavContext, Task>> Methods = new(StringComparer.OrdinalIgnoreCase)
    {
        ["OPTIONS"] = Options.HandleAsync,
        ["PROPFIND"] = PropFind.HandleAsync,
        ["PROPPATCH"] = PropPatch.HandleAsync,
        ["MKCOL"] = MkCol.HandleAsync,
        ["MKCALENDAR"] = MkCalendar.HandleAsync,
        ["GET"] = Get.HandleAsync,
        ["HEAD"] = Get.HandleAsync,
        ["PUT"] = Put.HandleAsync,
        ["DELETE"] = Delete.HandleAsync,
        ["MOVE"] = Move.HandleAsync,
        ["COPY"] = Copy.HandleAsync,
        ["REPORT"] = Report.HandleAsync,
        ["POST"] = Post.HandleAsync,
    };

    public static IEnumerable<string> AllowedMethods => Methods.Keys;

    public static IServiceCollection AddDav(this IServiceCollection services)
    {
        services.AddSingleton(new DavOptions());
        services.AddSingleton<DavTree>();
        services.TryAddSingleton<SharingAdministration>();
        services.TryAddSingleton<GlobalAddressList>();
        return services;
    }

    public static void MapDav(this IEndpointRouteBuilder app)
    {
        app.Map("/.well-known/caldav", WellKnown);
        app.Map("/.well-known/carddav", WellKnown);
        app.Map("/dav", HandleAsync);
        app.Map("/dav/{**path}", HandleAsync);
    }

    private static Task WellKnown(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status301MovedPermanently;
        http.Response.Headers.Location = DavPaths.Root;
        return Task.CompletedTask;
    }

    private static async Task HandleAsync(HttpContext http)
    {
        var services = http.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("SyncServer.Server.Dav");
        var account = await services.GetRequiredService<Authenticator>().AuthenticateBasicAsync(http, "DAV");
        if (account is null)
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"SyncServer\", charset=\"UTF-8\"";
            return;
        }
        if (!Methods.TryGetValue(http.Request.Method, out var handler))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            http.Response.Headers.Allow = string.Join(", ", Methods.Keys);
            return;
        }
        var context = new DavContext(http, account, services.GetRequiredService<IStore>(), services.GetRequiredService<IBlobStore>(),
            services.GetRequiredService<DavOptions>(), services.GetRequiredService<TimeProvider>(), services.GetRequiredService<DavTree>(),
            services.GetRequiredService<SharingAdministration>(), services.GetRequiredService<GlobalAddressList>());
        try
        {
            await handler(context);
        }
        catch (StoreNotFoundException) when (!http.Response.HasStarted)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound; // removed by a concurrent request
        }
        catch (StoreConflictException) when (!http.Response.HasStarted)
        {
            http.Response.StatusCode = StatusCodes.Status409Conflict;
        }
        catch (Exception e) when (e is not OperationCanceledException && !http.Response.HasStarted)
        {
            Log.Failed(logger, e, http.Request.Method, http.Request.Path);
            http.Response.StatusCode = StatusCodes.Status500InternalServerError;
        }
        Log.Request(logger, http.Request.Method, http.Request.Path, account.Address, http.Response.StatusCode);
    }

}
