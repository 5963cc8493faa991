namespace SyncServer.Server.Pop3.Commands;

/// <summary>NOOP (RFC 1939 §5).</summary>
internal static class NoopCommand
{
    public static Task Handle(Pop3Session session)
    {
        session.Ok("");
        return Task.CompletedTask;
    }
}
