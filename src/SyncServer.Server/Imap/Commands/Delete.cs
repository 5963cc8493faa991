using SyncServer.Core.Model;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>
/// DELETE (RFC 9051 §6.3.5). INBOX and mailboxes with children are refused: the store would delete the children too.
/// Another account's mailbox needs the <c>x</c> right and is deleted in its owner's account.
/// </summary>
public static class DeleteCommand
{
    public static async Task HandleAsync(ImapSession session, Delete command, CancellationToken cancellationToken)
    {
        if (session.MailboxName(command.Tag, command.Mailbox) is not { } name || await session.FindMailboxAsync(command.Tag, name, cancellationToken) is not { } mailbox)
            return;
        if (!session.Allowed(command.Tag, mailbox, GrantRights.DeleteCollection))
            return;
        if (mailbox.Collection.Role == CollectionRole.Inbox)
        {
            session.No(command.Tag, "INBOX cannot be deleted", ImapResponseCode.CannotDo);
            return;
        }
        // Children the user may not see count too: the store would delete them along.
        if ((await session.Services.Store.ListCollectionsAsync(mailbox.Owner, cancellationToken)).Any(c => c.ParentId == mailbox.Collection.Id))
        {
            session.No(command.Tag, "Mailbox has children; delete them first", ImapResponseCode.HasChildren);
            return;
        }
        await using (var transaction = await session.Services.Store.BeginAsync(mailbox.Owner, cancellationToken))
        {
            await transaction.DeleteCollectionAsync(mailbox.Collection.Id, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        if (session.Selected?.Collection.Id == mailbox.Collection.Id)
        {
            session.LeaveSelected();
            session.Write(new ImapStatusResponse(null, ImapStatus.Ok, ImapResponseCode.Closed, "Selected mailbox deleted"));
        }
        await session.OkAsync(command.Tag, "DELETE completed");
    }
}
