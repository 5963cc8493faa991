using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>ID (RFC 2971): the server names itself; what the client sends is not used.</summary>
public static class IdCommand
{
    public static Task HandleAsync(ImapSession session, Id command)
    {
        var version = typeof(IdCommand).Assembly.GetName().Version?.ToString() ?? "0";
        session.Write(new ImapUntaggedDataResponse("ID", [ImapValue.List(
            ImapValue.NString("name"), ImapValue.NString("SyncServer"), ImapValue.NString("version"), ImapValue.NString(version))]));
        return session.OkAsync(command.Tag, "ID completed");
    }
}
