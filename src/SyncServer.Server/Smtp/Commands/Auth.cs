using SyncServer.Protocols.Smtp;
using SyncServer.Server.Shared;

namespace SyncServer.Server.Smtp.Commands;

/// <summary>
/// AUTH PLAIN and LOGIN (RFC 4954, RFC 4616) on submission and SMTPS, only over TLS, through the shared
/// <see cref="Authenticator"/> and its failed-login throttle. Credentials are never logged.
/// </summary>
internal static class AuthCommand
{
    private static readonly SmtpReply NotOffered = new(502, "5.5.1", "AUTH is not offered on this port");
    private static readonly SmtpReply EncryptionRequired = new(538, "5.7.11", "Encryption required for requested authentication mechanism");
    private static readonly SmtpReply AlreadyAuthenticated = new(503, "5.5.1", "Already authenticated");
    private static readonly SmtpReply DuringTransaction = new(503, "5.5.1", "AUTH is not permitted during a mail transaction");
    private static readonly SmtpReply UnknownMechanism = new(504, "5.5.4", "Unrecognized authentication type");
    private static readonly SmtpReply Succeeded = new(235, "2.7.0", "Authentication successful");
    private static readonly SmtpReply Failed = new(535, "5.7.8", "Authentication credentials invalid");
    private static readonly SmtpReply Throttled = new(454, "4.7.0", "Temporary authentication failure, try again later");

    public static async ValueTask HandleAsync(SmtpSession session, Auth command, CancellationToken cancellationToken)
    {
        if (Refusal(session, command) is { } refusal)
        {
            session.Reply(refusal);
            return;
        }
        var exchange = new SaslExchange(session, cancellationToken);
        var credentials = command.Mechanism == "PLAIN"
            ? await exchange.PlainAsync(command.InitialResponse)
            : await exchange.LoginAsync(command.InitialResponse);
        if (credentials.Error is { } error)
        {
            session.Reply(error);
            return;
        }
        var result = await session.Services.Authenticator.AuthenticateAsync(
            credentials.User!, credentials.Password!, session.RemoteAddress, "SMTP", cancellationToken);
        if (result.Outcome == AuthenticationOutcome.Succeeded)
            session.AuthenticatedAccount = result.Account!.Address;
        session.Reply(result.Outcome switch
        {
            AuthenticationOutcome.Succeeded => Succeeded,
            AuthenticationOutcome.Throttled => Throttled,
            _ => Failed,
        });
    }

    private static SmtpReply? Refusal(SmtpSession session, Auth command)
    {
        if (!session.Listener.RequiresAuthentication)
            return NotOffered;
        if (!session.Connection.IsTls)
            return EncryptionRequired;
        if (session.State == SmtpState.Connected)
            return SessionReplies.HeloFirst;
        if (session.AuthenticatedAccount is not null)
            return AlreadyAuthenticated;
        if (session.Transaction is not null)
            return DuringTransaction;
        return command.Mechanism is "PLAIN" or "LOGIN" ? null : UnknownMechanism;
    }
}
