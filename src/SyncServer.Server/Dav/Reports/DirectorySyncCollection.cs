using SyncServer.Core.Directory;
using SyncServer.Protocols.Dav;
using SyncServer.Server.Dav.Nodes;

namespace SyncServer.Server.Dav.Reports;

/// <summary>
/// sync-collection (RFC 6578 §3) on the directory address book. Its token is the global address list's version: the empty token
/// lists every entry, the current token lists nothing, and any other is 403 valid-sync-token (§3.2), so a client whose listing
/// is out of date (an account or list was added, removed or renamed) reads it whole again. A <c>limit</c> below the listing's size
/// is 507 number-of-matches-within-limits (§3.7): the listing is not cut.
/// </summary>
public sealed class DirectorySyncCollection() : DavReport<DirectoryNode>(DavNames.SyncCollection)
{
    private const string Prefix = "urn:syncserver:directory:";

    public static string TokenOf(GalListing listing) => Prefix + listing.Version;

    protected override async Task RunAsync(DavContext context, DirectoryNode node, ReportRequest request)
    {
        var sync = (SyncCollectionRequest)request;
        var current = TokenOf(node.Listing);
        if (sync.Token.Length > 0 && sync.Token != current)
        {
            await context.ErrorAsync(StatusCodes.Status403Forbidden, DavNames.ValidSyncToken);
            return;
        }
        var members = sync.Token.Length == 0 ? await node.ChildrenAsync(context) : [];
        if (members.Count > (sync.Limit ?? int.MaxValue))
        {
            await context.ErrorAsync(StatusCodes.Status507InsufficientStorage, DavNames.NumberOfMatchesWithinLimits);
            return;
        }
        var responses = new List<DavResponse>();
        foreach (var member in members)
            responses.Add(await DavProperties.FindAsync(context, member, sync.Properties));
        await context.MultistatusAsync(new Multistatus(responses, current));
    }
}
