namespace SyncServer.Server.Pop3.Commands;

/// <summary>STAT (RFC 1939 §5): count and size of the messages not marked as deleted.</summary>
internal static class StatCommand
{
    public static Task Handle(Pop3Session session)
    {
        session.Ok($"{session.Maildrop.Count} {session.Maildrop.Size}");
        return Task.CompletedTask;
    }
}
