using SyncServer.Protocols.Pop3;

namespace SyncServer.Server.Pop3.Commands;

/// <summary>DELE (RFC 1939 §5): marks the message; it leaves the store only at QUIT (UPDATE state).</summary>
internal static class DeleCommand
{
    public static Task Handle(Pop3Session session, Dele command)
    {
        if (Messages.Find(session, command.Message) is not null)
        {
            session.Maildrop.Delete(command.Message);
            session.Ok($"Message {command.Message} deleted");
        }
        return Task.CompletedTask;
    }
}
