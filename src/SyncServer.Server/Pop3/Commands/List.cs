using SyncServer.Protocols.Pop3;

namespace SyncServer.Server.Pop3.Commands;

/// <summary>LIST (RFC 1939 §5): the scan listing (number and size) of one message or of all.</summary>
internal static class ListCommand
{
    public static Task Handle(Pop3Session session, List command)
    {
        Listing.Write(session, command.Message, item => item.Size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Task.CompletedTask;
    }
}
