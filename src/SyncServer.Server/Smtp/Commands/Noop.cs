using SyncServer.Protocols.Smtp;

namespace SyncServer.Server.Smtp.Commands;

/// <summary>NOOP (RFC 5321 §4.1.1.9): nothing but a 250, in any state.</summary>
internal static class NoopCommand
{
    public static ValueTask Handle(SmtpSession session)
    {
        session.Reply(SmtpReplies.Ok);
        return ValueTask.CompletedTask;
    }
}
