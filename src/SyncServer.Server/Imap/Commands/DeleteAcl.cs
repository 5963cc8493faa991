using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>DELETEACL (RFC 4314 §3.2): removes the identifier's grant on this mailbox's collection; needs <c>a</c>.</summary>
public static class DeleteAclCommand
{
    public static async Task HandleAsync(ImapSession session, DeleteAcl command, CancellationToken cancellationToken)
    {
        if (await MailboxAcl.FindAdministeredAsync(session, command.Tag, command.Mailbox, cancellationToken) is not { } mailbox
            || await MailboxAcl.IdentifierAsync(session, command.Tag, command.Identifier, cancellationToken) is not { } grantee)
            return;
        if (grantee.Id == mailbox.Owner)
        {
            session.No(command.Tag, "The owner's rights cannot be changed", ImapResponseCode.CannotDo);
            return;
        }
        await session.Services.Directory.RemoveGrantAsync(grantee.Id, mailbox.Owner, mailbox.Collection.Id, cancellationToken);
        await session.OkAsync(command.Tag, "DELETEACL completed");
    }
}
