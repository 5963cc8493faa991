using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Server.Dav.Nodes;

namespace SyncServer.Server.Dav.Methods;

/// <summary>
/// COPY and MOVE (RFC 4918 §9.8–9.9) in the files tree: a plain resource or a plain collection goes to another place in the
/// user's files tree, with its dead properties. A collection is copied with <c>Depth: infinity</c> (everything in it) or
/// <c>0</c> (the collection and its properties only) and always moved whole. An existing destination is replaced (204) unless
/// <c>Overwrite: F</c> (412); a missing destination parent is 409; a destination inside the source, or the source itself, is 403.
/// </summary>
public static class PlainTransfer
{
    private sealed record FileCopy(Item Item, IReadOnlyList<ItemProperty> Properties);

    private sealed record FolderCopy(Collection Collection, IReadOnlyList<CollectionProperty> Properties, IReadOnlyList<FileCopy> Files, IReadOnlyList<FolderCopy> Folders);

    public static async Task TransferAsync(DavContext context, DavNode source, string destination, bool move)
    {
        var depth = context.Request.Headers["Depth"].ToString().Trim();
        var deep = depth.Length == 0 || depth.Equals("infinity", StringComparison.OrdinalIgnoreCase);
        if (source.IsCollection && !deep && (move || depth != "0"))
        {
            await context.BadRequestAsync("COPY of a collection takes Depth 0 or infinity, MOVE only infinity");
            return;
        }
        var (parent, name) = await context.Tree.ResolveParentAsync(context, destination);
        if (source is FolderNode { IsHome: true } || parent is not FolderNode target || name.Length is 0 or > 255 || name.Any(char.IsControl))
        {
            await context.StatusAsync(parent is null ? StatusCodes.Status409Conflict : StatusCodes.Status403Forbidden);
            return;
        }
        var collections = await context.Store.ListCollectionsAsync(context.Account.Id, context.Aborted);
        var existing = await context.Tree.ResolveAsync(context, destination);
        var sourceFolder = source is FolderNode folder ? folder.Collection : ((FileNode)source).Folder.Collection;
        if (SameResource(source, existing)
            || (source is FolderNode && IsWithin(collections, target.Collection, sourceFolder))
            || (existing is FolderNode replaced && IsWithin(collections, sourceFolder, replaced.Collection)))
        {
            await context.StatusAsync(StatusCodes.Status403Forbidden);
            return;
        }
        if (source is FileNode file && !await Preconditions.CheckAsync(context, file.Item))
            return;
        if (existing is not null && context.Request.Headers["Overwrite"].ToString().Trim().Equals("F", StringComparison.OrdinalIgnoreCase))
        {
            await context.StatusAsync(StatusCodes.Status412PreconditionFailed);
            return;
        }
        var copy = move ? null : source is FolderNode from ? await SnapshotAsync(context, from, deep) : null;
        var fileCopy = source is FileNode one ? new FileCopy(one.Item, await context.Store.GetItemPropertiesAsync(one.Item.Id, context.Aborted)) : null;
        await using (var transaction = await context.Store.BeginAsync(context.Account.Id, context.Aborted))
        {
            if (existing is FileNode old)
                await transaction.DeleteItemAsync(old.Item.Id, context.Aborted);
            else if (existing is FolderNode oldFolder)
                await transaction.DeleteCollectionAsync(oldFolder.Collection.Id, context.Aborted);
            if (fileCopy is not null)
                await TransferFileAsync(context, transaction, fileCopy, target.Collection.Id, name, move);
            else if (move)
                await transaction.UpdateCollectionAsync(sourceFolder.Id, name, target.Collection.Id, context.Aborted);
            else
                await WriteAsync(context, transaction, copy!, target.Collection.Id, name);
            await transaction.CommitAsync(context.Aborted);
        }
        context.Response.ContentLength = 0;
        await context.StatusAsync(existing is null ? StatusCodes.Status201Created : StatusCodes.Status204NoContent);
    }

    /// <summary>A moved resource that keeps its name keeps its ItemId; a copy, or a renaming move, is a new item with the same blob and properties.</summary>
    private static async Task TransferFileAsync(DavContext context, IStoreTransaction transaction, FileCopy file, CollectionId target, string name, bool move)
    {
        if (move && name == file.Item.ResourceName)
        {
            await transaction.MoveItemAsync(file.Item.Id, target, context.Aborted);
            return;
        }
        if (move)
            await transaction.DeleteItemAsync(file.Item.Id, context.Aborted);
        await AddFileAsync(context, transaction, file, target, name);
    }

    private static async Task AddFileAsync(DavContext context, IStoreTransaction transaction, FileCopy file, CollectionId target, string name)
    {
        var item = file.Item;
        var added = await transaction.AddItemAsync(target, new NewItem(item.BlobId, item.Size, context.Time.GetUtcNow(), name), context.Aborted);
        foreach (var property in file.Properties)
            await transaction.SetItemPropertyAsync(added.Id, property.Namespace, property.Name, property.Xml, context.Aborted);
    }

    /// <summary>What a COPY of a collection writes, read before the transaction: its properties and, when deep, all it holds.</summary>
    private static async Task<FolderCopy> SnapshotAsync(DavContext context, FolderNode folder, bool deep)
    {
        var properties = await context.Store.GetCollectionPropertiesAsync(folder.Collection.Id, context.Aborted);
        if (!deep)
            return new FolderCopy(folder.Collection, properties, [], []);
        var files = new List<FileCopy>();
        foreach (var item in await context.Store.ListItemsAsync(folder.Collection.Id, new ImapUid(0), context.Options.MaxResults, context.Aborted))
            files.Add(new FileCopy(item, await context.Store.GetItemPropertiesAsync(item.Id, context.Aborted)));
        var folders = new List<FolderCopy>();
        foreach (var child in await folder.FoldersAsync(context))
            folders.Add(await SnapshotAsync(context, child, deep));
        return new FolderCopy(folder.Collection, properties, files, folders);
    }

    private static async Task WriteAsync(DavContext context, IStoreTransaction transaction, FolderCopy copy, CollectionId parent, string name)
    {
        var made = await transaction.CreateCollectionAsync(new NewCollection(name, CollectionKind.Files, ParentId: parent), context.Aborted);
        foreach (var property in copy.Properties)
            await transaction.SetCollectionPropertyAsync(made.Id, property.Namespace, property.Name, property.Xml, context.Aborted);
        foreach (var file in copy.Files)
            await AddFileAsync(context, transaction, file, made.Id, file.Item.ResourceName);
        foreach (var folder in copy.Folders)
            await WriteAsync(context, transaction, folder, made.Id, folder.Collection.Name);
    }

    private static bool SameResource(DavNode source, DavNode? existing) => (source, existing) switch
    {
        (FileNode a, FileNode b) => a.Item.Id == b.Item.Id,
        (FolderNode a, FolderNode b) => a.Collection.Id == b.Collection.Id,
        _ => false,
    };

    /// <summary>Whether <paramref name="inner"/> is <paramref name="outer"/> or lies somewhere under it.</summary>
    private static bool IsWithin(IReadOnlyList<Collection> collections, Collection inner, Collection outer)
    {
        for (CollectionId? at = inner.Id; at is { } id; at = collections.FirstOrDefault(c => c.Id == id)?.ParentId)
        {
            if (id == outer.Id)
                return true;
        }
        return false;
    }
}
