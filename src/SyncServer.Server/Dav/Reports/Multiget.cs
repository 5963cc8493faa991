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
        var hrefs = request.Hrefs.Distinct().ToList();
        var own = DavPaths.Split(collection.Href)!;
        var names = hrefs.ToDictionary(href => href, href => MemberName(own, href));
        var members = await collection.MembersAsync(context, names.Values.OfType<string>().ToList());
        var responses = new List<DavResponse>();
        foreach (var href in hrefs)
        {
            var node = names[href] is { } name ? members.GetValueOrDefault(name) : await context.Tree.ResolveAsync(context, href);
            if (node is { IsCollection: false } && node.Href.StartsWith(collection.Href, StringComparison.Ordinal))
                responses.Add(await DavProperties.FindAsync(context, node, request.Properties));
            else
                responses.Add(new DavResponse(href, [], Status: 404));
        }
        await context.MultistatusAsync(new Multistatus(responses));
    }

    /// <summary>
    /// The member name when <paramref name="href"/> names a member of the collection directly (all those are read in one
    /// lookup), else null: the href is walked from the root.
    /// </summary>
    private static string? MemberName(string[] own, string href)
        => DavPaths.Split(href) is { } segments && segments.Length == own.Length + 1 && segments.AsSpan(0, own.Length).SequenceEqual(own)
            ? segments[^1]
            : null;
}
