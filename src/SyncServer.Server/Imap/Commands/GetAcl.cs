using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>GETACL (RFC 4314 §3.3): <c>* ACL mailbox identifier rights …</c>, the owner first; needs <c>a</c>.</summary>
public static class GetAclCommand
{
    public static async Task HandleAsync(ImapSession session, GetAcl command, CancellationToken cancellationToken)
    {
        if (await MailboxAcl.FindAdministeredAsync(session, command.Tag, command.Mailbox, cancellationToken) is not { } mailbox)
            return;
        var values = new List<ImapValue> { ImapValue.NString(session.WireName(mailbox.Path)) };
        foreach (var (identifier, rights) in await MailboxAcl.EntriesAsync(session, mailbox, cancellationToken))
            values.AddRange([ImapValue.NString(identifier), MailboxAcl.RightsValue(rights)]);
        session.Write(new ImapUntaggedDataResponse("ACL", values));
        await session.OkAsync(command.Tag, "GETACL completed");
    }
}
