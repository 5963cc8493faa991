using SyncServer.Protocols.Dav;
using SyncServer.Server.Dav.Nodes;

namespace SyncServer.Server.Dav.Reports;

/// <summary>What calendar-multiget and addressbook-multiget share: each href is resolved and must be a member of the collection (its href is under the collection's).</summary>
public static class Multiget
{
    public const int MaxHrefs = 5_000;

    public static async Task RunAsync(DavContext context, DavNode collection, MultigetRequest request)
    {
        if (request.Hrefs.Count > MaxHrefs)
        {
            await context.BadRequestAsync("too many hrefs");
            return;
        }
        if (!ContactObjects.IsSupported(request.Properties.Requested.FirstOrDefault(p => p.Name == DavNames.AddressData)))
        {
            await context.ErrorAsync(StatusCodes.Status403Forbidden, DavNames.SupportedAddressData);
            return;
        }
        var responses = new List<DavResponse>();
        var own = DavPaths.Split(collection.Href)!;
        foreach (var href in request.Hrefs.Distinct())
        {
            var node = await ResolveAsync(context, collection, own, href);
            if (node is { IsCollection: false } && node.Href.StartsWith(collection.Href, StringComparison.Ordinal))
                responses.Add(await DavProperties.FindAsync(context, node, request.Properties));
            else
                responses.Add(new DavResponse(href, [], Status: 404));
        }
        await context.MultistatusAsync(new Multistatus(responses));
    }

    /// <summary>An href naming a member of the collection directly is one member lookup; any other is walked from the root.</summary>
    private static async Task<DavNode?> ResolveAsync(DavContext context, DavNode collection, string[] own, string href)
        => DavPaths.Split(href) is { } segments && segments.Length == own.Length + 1 && segments.AsSpan(0, own.Length).SequenceEqual(own)
            ? await collection.MemberAsync(context, segments[^1])
            : await context.Tree.ResolveAsync(context, href);
}
