using SyncServer.Protocols.Pop3;

namespace SyncServer.Server.Pop3.Commands;

/// <summary>TOP (RFC 1939 §7): the header, the blank line and the first n lines of the body.</summary>
internal static class TopCommand
{
    public static Task HandleAsync(Pop3Session session, Top command, CancellationToken cancellationToken) =>
        RetrCommand.SendAsync(session, command.Message, command.Lines, cancellationToken);
}
