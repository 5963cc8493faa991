using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>
/// LISTRIGHTS (RFC 4314 §3.4): the owner always holds every right; anyone else may be granted each right on its own,
/// none required. Needs <c>a</c>.
/// </summary>
public static class ListRightsCommand
{
    public static async Task HandleAsync(ImapSession session, ListRights command, CancellationToken cancellationToken)
    {
        if (await MailboxAcl.FindAdministeredAsync(session, command.Tag, command.Mailbox, cancellationToken) is not { } mailbox
            || await MailboxAcl.IdentifierAsync(session, command.Tag, command.Identifier, cancellationToken) is not { } identifier)
            return;
        var values = new List<ImapValue> { ImapValue.NString(session.WireName(mailbox.Path)), ImapValue.NString(command.Identifier) };
        if (identifier.Id == mailbox.Owner)
            values.Add(MailboxAcl.RightsValue(AclRights.Owner));
        else
            values.AddRange([ImapValue.NString(""), .. AclRights.Each().Select(letter => new ImapAtom(letter))]);
        session.Write(new ImapUntaggedDataResponse("LISTRIGHTS", values));
        await session.OkAsync(command.Tag, "LISTRIGHTS completed");
    }
}
