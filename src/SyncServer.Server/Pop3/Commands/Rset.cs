namespace SyncServer.Server.Pop3.Commands;

/// <summary>RSET (RFC 1939 §5): unmarks every message marked as deleted.</summary>
internal static class RsetCommand
{
    public static Task Handle(Pop3Session session)
    {
        session.Maildrop.Reset();
        session.Ok($"{session.Maildrop.Count} messages ({session.Maildrop.Size} octets)");
        return Task.CompletedTask;
    }
}
