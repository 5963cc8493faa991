using SyncServer.Protocols.Smtp;

namespace SyncServer.Server.Smtp.Commands;

/// <summary>
/// VRFY (RFC 5321 §4.1.1.6, §7.3): always 252. Confirming addresses would hand the directory to harvesters;
/// RCPT gives the real answer inside a transaction.
/// </summary>
internal static class VrfyCommand
{
    public static ValueTask Handle(SmtpSession session)
    {
        session.Reply(SmtpReplies.CannotVerify);
        return ValueTask.CompletedTask;
    }
}
