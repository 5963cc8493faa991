using SyncServer.Core.Model;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>
/// SETACL (RFC 4314 §3.1): replaces (or with a leading + / - adds to or takes from) the identifier's grant on this
/// mailbox's collection. Needs <c>a</c>; the owner's own rights cannot be changed; an empty result removes the grant.
/// </summary>
public static class SetAclCommand
{
    public static async Task HandleAsync(ImapSession session, SetAcl command, CancellationToken cancellationToken)
    {
        var mode = command.Rights is ['+' or '-', ..] ? command.Rights[0] : '=';
        if (AclRights.Parse(mode == '=' ? command.Rights : command.Rights[1..]) is not { } rights)
        {
            session.Bad(command.Tag, "Unknown right; this server knows lrswipkxtea (and c, d)");
            return;
        }
        if (await MailboxAcl.FindAdministeredAsync(session, command.Tag, command.Mailbox, cancellationToken) is not { } mailbox
            || await MailboxAcl.IdentifierAsync(session, command.Tag, command.Identifier, cancellationToken) is not { } grantee)
            return;
        if (grantee.Id == mailbox.Owner)
        {
            session.No(command.Tag, "The owner's rights cannot be changed", ImapResponseCode.CannotDo);
            return;
        }
        var current = await MailboxAcl.CollectionGrantAsync(session, mailbox, grantee.Id, cancellationToken);
        var updated = mode switch
        {
            '+' => current | rights,
            '-' => current & ~rights,
            _ => (current & ~AclRights.Owner) | rights,
        };
        var directory = session.Services.Directory;
        if (updated == GrantRights.None)
            await directory.RemoveGrantAsync(grantee.Id, mailbox.Owner, mailbox.Collection.Id, cancellationToken);
        else
            await directory.SetGrantAsync(new Grant(grantee.Id, mailbox.Owner, mailbox.Collection.Id, updated), cancellationToken);
        await session.OkAsync(command.Tag, "SETACL completed");
    }
}
