using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>CREATE (RFC 9051 §6.3.4) with CREATE-SPECIAL-USE (RFC 6154 §3); missing parents are created too.</summary>
public static class CreateCommand
{
    private static readonly Dictionary<string, CollectionRole> Roles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["\\Drafts"] = CollectionRole.Drafts, ["\\Sent"] = CollectionRole.Sent, ["\\Trash"] = CollectionRole.Trash,
        ["\\Junk"] = CollectionRole.Junk, ["\\Archive"] = CollectionRole.Archive,
    };

    public static async Task HandleAsync(ImapSession session, Create command, CancellationToken cancellationToken)
    {
        // A trailing delimiter only says the client means to create children under the name (RFC 9051 §6.3.4).
        if (session.MailboxName(command.Tag, command.Mailbox) is not { } wireName)
            return;
        var name = wireName.TrimEnd(MailboxTree.Delimiter);
        if (!MailboxTree.IsValidName(name))
        {
            session.No(command.Tag, "Invalid mailbox name", ImapResponseCode.CannotDo);
            return;
        }
        var role = CollectionRole.None;
        foreach (var use in command.SpecialUse)
        {
            if (!Roles.TryGetValue(use, out role))
            {
                session.No(command.Tag, $"Unsupported special use {use}", ImapResponseCode.UseAttribute);
                return;
            }
        }
        var tree = await MailboxTree.LoadAsync(session.Services.Store, session.AccountId, cancellationToken);
        if (tree.Find(name) is not null)
        {
            session.No(command.Tag, "Mailbox already exists", ImapResponseCode.AlreadyExists);
            return;
        }
        await using var transaction = await session.Services.Store.BeginAsync(session.AccountId, cancellationToken);
        await CreatePathAsync(transaction, tree, name, role, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await session.OkAsync(command.Tag, "CREATE completed");
    }

    /// <summary>Creates a mailbox and whichever of its parents are missing; returns the new collection.</summary>
    public static async Task<Collection> CreatePathAsync(IStoreTransaction transaction, MailboxTree tree, string name, CollectionRole role, CancellationToken cancellationToken)
    {
        var (parentName, leaf) = MailboxTree.Split(name);
        var parent = parentName is null
            ? null
            : tree.Find(parentName)?.Collection ?? await CreatePathAsync(transaction, tree, parentName, CollectionRole.None, cancellationToken);
        return await transaction.CreateCollectionAsync(new NewCollection(leaf, CollectionKind.Mailbox, role, parent?.Id), cancellationToken);
    }
}
