using SyncServer.Protocols.Pop3;

namespace SyncServer.Server.Pop3.Commands;

/// <summary>USER (RFC 1939 §7): names the mailbox for the PASS that follows; refused before TLS on the plain port.</summary>
internal static class UserCommand
{
    /// <summary>RFC 2449 §8.1.1 SYS/PERM: retrying the same way will not help; STLS first will.</summary>
    public const string TlsRequired = "SYS/PERM";

    public static Task Handle(Pop3Session session, User command)
    {
        if (!session.Connection.IsTls)
            session.Err("Use STLS first", TlsRequired);
        else
        {
            session.UserName = command.Name;
            session.Ok("Send PASS");
        }
        return Task.CompletedTask;
    }
}
