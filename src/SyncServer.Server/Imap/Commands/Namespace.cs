using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>NAMESPACE (RFC 2342): one personal namespace, no other users' or shared ones yet.</summary>
public static class NamespaceCommand
{
    public static Task HandleAsync(ImapSession session, Namespace command)
    {
        var personal = ImapValue.List(ImapValue.List(ImapValue.NString(""), ImapValue.NString(MailboxTree.Delimiter.ToString())));
        session.Write(new ImapUntaggedDataResponse("NAMESPACE", [personal, ImapValue.Nil, ImapValue.Nil]));
        return session.OkAsync(command.Tag, "NAMESPACE completed");
    }
}
