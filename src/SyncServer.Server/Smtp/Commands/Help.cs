using SyncServer.Protocols.Smtp;

namespace SyncServer.Server.Smtp.Commands;

/// <summary>HELP (RFC 5321 §4.1.1.8): one line pointing at the RFC, whatever the topic.</summary>
internal static class HelpCommand
{
    public static ValueTask Handle(SmtpSession session)
    {
        session.Reply(SmtpReplies.HelpText);
        return ValueTask.CompletedTask;
    }
}
