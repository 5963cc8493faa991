using SyncServer.Protocols.Imap;
using SyncServer.Server.Shared;

namespace SyncServer.Server.Imap.Commands;

/// <summary>LOGIN (RFC 9051 §6.2.3), refused before TLS (LOGINDISABLED).</summary>
public static class LoginCommand
{
    public static Task HandleAsync(ImapSession session, Login command, CancellationToken cancellationToken)
    {
        if (!session.Connection.IsTls)
        {
            session.No(command.Tag, "Use STARTTLS first", ImapResponseCode.PrivacyRequired);
            return Task.CompletedTask;
        }
        return LogInAsync(session, command.Tag, command.UserName, command.Password, cancellationToken);
    }

    /// <summary>Checks the credentials (shared with AUTHENTICATE) and answers with the new capabilities.</summary>
    public static async Task LogInAsync(ImapSession session, string tag, string user, string password, CancellationToken cancellationToken)
    {
        var result = await session.Services.Authenticator.AuthenticateAsync(user, password, session.Connection.RemoteAddress, "IMAP", cancellationToken);
        switch (result.Outcome)
        {
            case AuthenticationOutcome.Succeeded:
                session.LogIn(result.Account!);
                await session.OkAsync(tag, "Logged in", ImapResponseCode.Capability(ImapCapabilities.For(session)));
                break;
            case AuthenticationOutcome.Throttled:
                session.No(tag, "Too many failed logins; try again later", ImapResponseCode.Unavailable);
                break;
            default:
                session.No(tag, "Authentication failed", ImapResponseCode.AuthenticationFailed);
                break;
        }
    }
}
