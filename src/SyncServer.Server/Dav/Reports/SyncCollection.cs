using SyncServer.Core.Changes;
using SyncServer.Core.Model;
using SyncServer.Protocols.Dav;
using SyncServer.Server.Dav.Nodes;

namespace SyncServer.Server.Dav.Reports;

/// <summary>
/// sync-collection (RFC 6578 §3) from the store's change log: the empty token lists every member; a token lists the members
/// changed since its modseq (removed ones with 404). <c>limit</c> truncates with a 507 for the collection and a token to continue
/// from; a token of another collection, a malformed one, or one older than the pruned log is 403 valid-sync-token.
/// </summary>
public sealed class SyncCollection() : DavReport<IStoreCollectionNode>(DavNames.SyncCollection)
{
    protected override async Task RunAsync(DavContext context, IStoreCollectionNode node, ReportRequest request)
    {
        var sync = (SyncCollectionRequest)request;
        var since = new ModSeq(0);
        if (sync.Token.Length > 0)
        {
            if (!SyncToken.TryParse(sync.Token, out var token) || token.Collection != node.Collection.Id.Value || token.ModSeq > node.Collection.HighestModSeq.Value)
            {
                await context.ErrorAsync(StatusCodes.Status403Forbidden, DavNames.ValidSyncToken);
                return;
            }
            since = new ModSeq(token.ModSeq);
        }
        var limit = Math.Min(sync.Limit ?? context.Options.MaxResults, context.Options.MaxResults);
        var changes = await context.Store.GetChangesAsync(node.Collection.Id, since, limit, context.Aborted);
        if (changes.IsTruncated)
        {
            await context.ErrorAsync(StatusCodes.Status403Forbidden, DavNames.ValidSyncToken);
            return;
        }
        var responses = new List<DavResponse>();
        foreach (var change in changes.Changes)
        {
            if (change.Kind == ItemChangeKind.Deleted || change.Item is null)
            {
                if (since.Value > 0)
                    responses.Add(new DavResponse(node.Member(Tombstone(node, change)).Href, [], Status: 404));
                continue;
            }
            responses.Add(await DavProperties.FindAsync(context, node.Member(change.Item), sync.Properties));
        }
        var next = changes.HasMore ? changes.NextModSeq : MaxOf(changes.NextModSeq, node.Collection.HighestModSeq);
        if (changes.HasMore)
            responses.Add(new DavResponse(((DavNode)node).Href, [], Status: 507, Error: DavNames.NumberOfMatchesWithinLimits));
        await context.MultistatusAsync(new Multistatus(responses, new SyncToken(node.Collection.Id.Value, next.Value).ToString()));
    }

    private static ModSeq MaxOf(ModSeq a, ModSeq b) => a.Value >= b.Value ? a : b;

    // Only the href of a removed member is needed; an item record carries its resource name.
    private static Item Tombstone(IStoreCollectionNode node, ItemChange change)
        => new(change.ItemId, node.Collection.AccountId, node.Collection.Id, change.ResourceName, change.ImapUid, change.ModSeq, change.ModSeq,
            "", default, 0, DateTimeOffset.UnixEpoch);
}
