using SyncServer.Core.Model;
using SyncServer.Protocols.Http;

namespace SyncServer.Server.Shared;

/// <summary>HTTP Basic authentication (DAV, ActiveSync) through the one <see cref="Authenticator"/> and its throttle.</summary>
public static class HttpBasicAuthentication
{
    /// <summary>The account the request's Basic credentials log in to, or null (absent, malformed, wrong or throttled).</summary>
    public static async Task<Account?> AuthenticateBasicAsync(this Authenticator authenticator, HttpContext http, string protocol)
    {
        if (BasicCredentials.Parse(http.Request.Headers.Authorization.FirstOrDefault()) is not { } credentials)
            return null;
        var result = await authenticator.AuthenticateAsync(credentials.UserName, credentials.Password,
            http.Connection.RemoteIpAddress, protocol, http.RequestAborted);
        return result.Outcome == AuthenticationOutcome.Succeeded ? result.Account : null;
    }
}
