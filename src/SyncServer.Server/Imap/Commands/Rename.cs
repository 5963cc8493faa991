using SyncServer.Core.Model;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>RENAME (RFC 9051 §6.3.6): children move along (they hang off the renamed collection); missing new parents are created.</summary>
public static class RenameCommand
{
    public static async Task HandleAsync(ImapSession session, Rename command, CancellationToken cancellationToken)
    {
        if (session.MailboxName(command.Tag, command.Mailbox) is not { } name || session.MailboxName(command.Tag, command.NewName) is not { } newName)
            return;
        if (MailboxTree.IsShared(name) || MailboxTree.IsShared(newName))
        {
            session.No(command.Tag, "Mailboxes in the other users' namespace cannot be renamed", ImapResponseCode.CannotDo);
            return;
        }
        var tree = await MailboxTree.LoadAsync(session.Services.Store, session.AccountId, cancellationToken);
        if (Refusal(tree, name, newName) is { } refusal)
        {
            session.No(command.Tag, refusal.Text, refusal.Code);
            return;
        }
        var (parentName, leaf) = MailboxTree.Split(newName);
        await using var transaction = await session.Services.Store.BeginAsync(session.AccountId, cancellationToken);
        var parent = parentName is null
            ? null
            : tree.Find(parentName)?.Collection ?? await CreateCommand.CreatePathAsync(transaction, tree, parentName, CollectionRole.None, cancellationToken);
        await transaction.UpdateCollectionAsync(tree.Find(name)!.Collection.Id, leaf, parent?.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await session.OkAsync(command.Tag, "RENAME completed");
    }

    private static (ImapResponseCode Code, string Text)? Refusal(MailboxTree tree, string name, string newName)
    {
        if (tree.Find(name) is not { } mailbox)
            return (ImapResponseCode.NonExistent, "No such mailbox");
        if (mailbox.Collection.Role == CollectionRole.Inbox)
            return (ImapResponseCode.CannotDo, "Renaming INBOX is not supported");
        if (tree.Find(newName) is not null)
            return (ImapResponseCode.AlreadyExists, "Target mailbox already exists");
        if (!MailboxTree.IsValidName(newName) || newName.StartsWith(name + MailboxTree.Delimiter, StringComparison.Ordinal))
            return (ImapResponseCode.CannotDo, "Invalid target name");
        return null;
    }
}
