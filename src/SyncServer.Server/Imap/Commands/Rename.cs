using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>
/// RENAME (RFC 9051 §6.3.6): children move along (they hang off the renamed collection); missing new parents are
/// created. INBOX is not renamed: its messages move to a new mailbox.
/// </summary>
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
        var source = tree.Find(name)!.Collection;
        await using var transaction = await session.Services.Store.BeginAsync(session.AccountId, cancellationToken);
        if (source.Role == CollectionRole.Inbox)
        {
            await MoveInboxAsync(session.Services.Store, transaction, source, await CreateCommand.CreatePathAsync(transaction, tree, newName, CollectionRole.None, cancellationToken), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            await session.OkAsync(command.Tag, "RENAME completed");
            return;
        }
        var (parentName, leaf) = MailboxTree.Split(newName);
        var parent = parentName is null
            ? null
            : tree.Find(parentName)?.Collection ?? await CreateCommand.CreatePathAsync(transaction, tree, parentName, CollectionRole.None, cancellationToken);
        await transaction.UpdateCollectionAsync(source.Id, leaf, parent?.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await session.OkAsync(command.Tag, "RENAME completed");
    }

    /// <summary>
    /// RFC 9051 §6.3.6: renaming INBOX moves all its messages to a new mailbox of the new name and leaves INBOX, with
    /// any children it has, in place and empty. The transaction holds the account's write lock, so none arrive meanwhile.
    /// </summary>
    private static async Task MoveInboxAsync(IStore store, IStoreTransaction transaction, Collection inbox, Collection target, CancellationToken cancellationToken)
    {
        IReadOnlyList<Item> page;
        var after = new ImapUid(0);
        do
        {
            page = await store.ListItemsAsync(inbox.Id, after, 1000, cancellationToken);
            foreach (var item in page)
                await transaction.MoveItemAsync(item.Id, target.Id, cancellationToken);
            after = page.Count > 0 ? page[^1].ImapUid : after;
        }
        while (page.Count > 0);
    }

    private static (ImapResponseCode Code, string Text)? Refusal(MailboxTree tree, string name, string newName)
    {
        if (tree.Find(name) is not { } mailbox)
            return (ImapResponseCode.NonExistent, "No such mailbox");
        if (tree.Find(newName) is not null)
            return (ImapResponseCode.AlreadyExists, "Target mailbox already exists");
        if (!MailboxTree.IsValidName(newName) || newName.StartsWith(name + MailboxTree.Delimiter, StringComparison.Ordinal))
            return (ImapResponseCode.CannotDo, "Invalid target name");
        return null;
    }
}
