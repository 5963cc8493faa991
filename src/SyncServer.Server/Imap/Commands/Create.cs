using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>
/// CREATE (RFC 9051 §6.3.4) with CREATE-SPECIAL-USE (RFC 6154 §3); missing parents are created too. In the other
/// users' namespace a child of a mailbox with the <c>k</c> right may be created (in its owner's account), nothing else.
/// </summary>
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
        if (MailboxTree.IsShared(name))
        {
            await CreateSharedAsync(session, command.Tag, name, role, cancellationToken);
            return;
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

    private static async Task CreateSharedAsync(ImapSession session, string tag, string name, CollectionRole role, CancellationToken cancellationToken)
    {
        var tree = await session.LoadMailboxesAsync(cancellationToken);
        var (parentName, leaf) = MailboxTree.Split(name);
        if (tree.Find(name) is { } existing && existing.Has(GrantRights.Lookup))
        {
            session.No(tag, "Mailbox already exists", ImapResponseCode.AlreadyExists);
            return;
        }
        if (parentName is null || tree.Find(parentName) is not { } parent)
        {
            session.No(tag, "Permission denied", ImapResponseCode.NoPerm);
            return;
        }
        if (!session.Allowed(tag, parent, GrantRights.CreateChild))
            return;
        try
        {
            await using var transaction = await session.Services.Store.BeginAsync(parent.Owner, cancellationToken);
            await transaction.CreateCollectionAsync(new NewCollection(leaf, CollectionKind.Mailbox, role, parent.Collection.Id), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (StoreConflictException)
        {
            // A mailbox the user may not see is there already; say no more than that the name cannot be had.
            session.No(tag, "Permission denied", ImapResponseCode.NoPerm);
            return;
        }
        await session.OkAsync(tag, "CREATE completed");
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
