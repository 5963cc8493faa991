using SyncServer.Protocols.Pop3;

namespace SyncServer.Server.Pop3.Commands;

/// <summary>UIDL (RFC 1939 §7): the unique-id listing of one message or of all.</summary>
internal static class UidlCommand
{
    public static Task Handle(Pop3Session session, Uidl command)
    {
        Listing.Write(session, command.Message, Maildrop.UniqueId);
        return Task.CompletedTask;
    }
}
