using SyncServer.Protocols.Smtp;

namespace SyncServer.Server.Smtp.Commands;

/// <summary>QUIT (RFC 5321 §4.1.1.10): 221, then close; an open transaction is aborted.</summary>
internal static class QuitCommand
{
    public static ValueTask Handle(SmtpSession session)
    {
        session.Reply(SmtpReplies.Closing);
        session.State = SmtpState.Closed;
        return ValueTask.CompletedTask;
    }
}
