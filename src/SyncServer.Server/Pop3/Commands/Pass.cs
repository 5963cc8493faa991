using SyncServer.Protocols.Pop3;
using SyncServer.Server.Shared;

namespace SyncServer.Server.Pop3.Commands;

/// <summary>PASS (RFC 1939 §7), right after USER.</summary>
internal static class PassCommand
{
    public static Task HandleAsync(Pop3Session session, Pass command, CancellationToken cancellationToken)
    {
        var user = session.UserName;
        session.UserName = null;
        if (user is null)
        {
            session.Err("Send USER first");
            return Task.CompletedTask;
        }
        return LogInAsync(session, user, command.Password, cancellationToken);
    }

    /// <summary>Checks the credentials (shared with AUTH) and enters TRANSACTION with the INBOX as it is now.</summary>
    public static async Task LogInAsync(Pop3Session session, string user, string password, CancellationToken cancellationToken)
    {
        var result = await session.Services.Authenticator.AuthenticateAsync(user, password, session.RemoteAddress, "POP3", cancellationToken);
        switch (result.Outcome)
        {
            case AuthenticationOutcome.Succeeded:
                await session.LogInAsync(result.Account!, cancellationToken);
                session.Ok($"{session.Maildrop.Count} messages ({session.Maildrop.Size} octets)");
                break;
            case AuthenticationOutcome.Throttled:
                // RFC 3206 §4: SYS/TEMP, a temporary condition; the client should try again later.
                session.Err("Too many failed logins; try again later", "SYS/TEMP");
                break;
            default:
                // RFC 3206 §5: AUTH, the credentials were wrong, not the server.
                session.Err("Authentication failed", "AUTH");
                break;
        }
    }
}
