using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>
/// NAMESPACE (RFC 2342): the personal namespace "" and the other users' namespace "Shared/", where mailboxes of
/// other accounts granted to the user appear (<see cref="MailboxTree"/>); no shared namespace of its own.
/// </summary>
public static class NamespaceCommand
{
    public static Task HandleAsync(ImapSession session, Namespace command)
    {
        var personal = ImapValue.List(ImapValue.List(ImapValue.NString(""), ImapValue.NString(MailboxTree.Delimiter.ToString())));
        var otherUsers = ImapValue.List(ImapValue.List(ImapValue.NString(MailboxTree.SharedRoot + MailboxTree.Delimiter), ImapValue.NString(MailboxTree.Delimiter.ToString())));
        session.Write(new ImapUntaggedDataResponse("NAMESPACE", [personal, otherUsers, ImapValue.Nil]));
        return session.OkAsync(command.Tag, "NAMESPACE completed");
    }
}
