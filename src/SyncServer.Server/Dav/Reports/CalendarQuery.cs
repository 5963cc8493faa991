using SyncServer.Protocols.CalDav;
using SyncServer.Protocols.Dav;
using SyncServer.Server.Dav.Nodes;

namespace SyncServer.Server.Dav.Reports;

/// <summary>
/// calendar-query (RFC 4791 §7.8): the members matching the filter (comp/prop/param filters, text-match, time-range over the
/// expanded recurrence), with the asked properties; calendar-data may be expanded (§9.6.5).
/// </summary>
public sealed class CalendarQuery() : DavReport<ICalendarCollectionNode>(DavNames.CalendarQuery)
{
    protected override async Task RunAsync(DavContext context, ICalendarCollectionNode node, ReportRequest request)
    {
        var body = ((FilteredReportRequest)request).Body;
        var filter = CalendarFilterParser.Parse(body.Element(DavNames.Filter), out _);
        if (filter is null)
        {
            await context.ErrorAsync(StatusCodes.Status403Forbidden, DavNames.ValidFilter);
            return;
        }
        var responses = new List<DavResponse>();
        foreach (var (member, parsed) in await CalendarObjects.LoadAsync(context, (CalendarNode)node, CalendarFilterEvaluator.RequiredTimeRange(filter)))
        {
            if (CalendarFilterEvaluator.Matches(parsed, filter))
                responses.Add(await DavProperties.FindAsync(context, member, request.Properties));
        }
        await context.MultistatusAsync(new Multistatus(responses));
    }
}
