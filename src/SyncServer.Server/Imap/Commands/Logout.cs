using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>LOGOUT (RFC 9051 §6.1.3): BYE, then the tagged OK, then the connection closes.</summary>
public static class LogoutCommand
{
    public static Task HandleAsync(ImapSession session, Logout command)
    {
        session.Write(new ImapStatusResponse(null, ImapStatus.Bye, null, "SyncServer logging out"));
        session.Write(new ImapStatusResponse(command.Tag, ImapStatus.Ok, null, "LOGOUT completed"));
        session.LogOut();
        return Task.CompletedTask;
    }
}
