using SyncServer.Core.Directory;

namespace SyncServer.Server.Dav.Nodes;

/// <summary>
/// <c>/dav/addressbooks/{user}/directory/</c>: the read-only address book of the user's domain, generated from the global
/// address list (<see cref="GlobalAddressList"/>). Its sync-token and ctag are the listing's version.
/// </summary>
public sealed class DirectoryNode(string href, GalListing listing) : DavNode(href), IAddressBookNode
{
    public GalListing Listing { get; } = listing;

    public override Task<IReadOnlyList<DavNode>> ChildrenAsync(DavContext context)
        => Task.FromResult<IReadOnlyList<DavNode>>([.. Listing.Entries.Select(e => new DirectoryEntryNode(this, e))]);

    public override Task<DavNode?> MemberAsync(DavContext context, string name)
        => Task.FromResult<DavNode?>(Listing.Entries.Where(e => DirectoryCards.ResourceName(e) == name).Select(e => new DirectoryEntryNode(this, e)).FirstOrDefault());
}

/// <summary>One entry of the directory as a vCard (<see cref="DirectoryCards"/>); its ETag is a digest of that text.</summary>
public sealed class DirectoryEntryNode(DirectoryNode directory, GalEntry entry)
    : DavNode(directory.Href + DavPaths.Segment(DirectoryCards.ResourceName(entry))), IAddressObjectNode
{
    public DirectoryNode Directory { get; } = directory;

    public string Text { get; } = DirectoryCards.Write(entry);

    public string ETag => DirectoryCards.ETag(Text);

    public override bool IsCollection => false;

    public Task<string> VCardTextAsync(DavContext context) => Task.FromResult(Text);
}
