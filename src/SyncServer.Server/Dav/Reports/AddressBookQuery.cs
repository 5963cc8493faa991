using System.Globalization;
using SyncServer.Protocols.CardDav;
using SyncServer.Protocols.Dav;
using SyncServer.Protocols.VCard;
using SyncServer.Server.Dav.Nodes;

namespace SyncServer.Server.Dav.Reports;

/// <summary>
/// addressbook-query (RFC 6352 §8.6) on a stored address book or the directory: the vCards matching the filter (prop-filter, param-filter, text-match with its collations
/// and match types, anyof/allof), at most <c>limit/nresults</c> of them — more matches end with a 507 and
/// number-of-matches-within-limits (§8.6.1).
/// </summary>
public sealed class AddressBookQuery() : DavReport<IAddressBookNode>(DavNames.AddressBookQuery)
{
    protected override async Task RunAsync(DavContext context, IAddressBookNode node, ReportRequest request)
    {
        var body = ((FilteredReportRequest)request).Body;
        var filter = AddressBookFilter.All;
        if (body.Element(DavNames.CardFilter) is { } element && !AddressBookFilterParser.TryParse(element, out filter, out var error))
        {
            await context.ErrorAsync(StatusCodes.Status403Forbidden, error!.Element);
            return;
        }
        if (!ContactObjects.IsSupported(request.Properties.Requested.FirstOrDefault(p => p.Name == DavNames.AddressData)))
        {
            await context.ErrorAsync(StatusCodes.Status403Forbidden, DavNames.SupportedAddressData);
            return;
        }
        int? limit = null;
        if (body.Element(DavNames.CardLimit)?.Element(DavNames.CardNResults) is { } nresults)
        {
            if (!int.TryParse(nresults.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                await context.BadRequestAsync("nresults must be a positive integer");
                return;
            }
            limit = n;
        }
        var responses = new List<DavResponse>();
        foreach (var member in await ((DavNode)node).ChildrenAsync(context))
        {
            var text = await ((IAddressObjectNode)member).VCardTextAsync(context);
            if (!VCardParser.TryParse(text, VCardParseOptions.Default, out var card, out _) || !filter.Matches(card))
                continue;
            if (responses.Count == limit)
            {
                responses.Add(new DavResponse(((DavNode)node).Href, [], Status: 507, Error: DavNames.NumberOfMatchesWithinLimits));
                break;
            }
            responses.Add(await DavProperties.FindAsync(context, member, request.Properties));
        }
        await context.MultistatusAsync(new Multistatus(responses));
    }
}
