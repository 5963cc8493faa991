using System.Text;
using SyncServer.Protocols.CalDav;
using SyncServer.Protocols.Dav;
using SyncServer.Server.Dav.Nodes;

namespace SyncServer.Server.Dav.Reports;

/// <summary>free-busy-query (RFC 4791 §7.10): a VFREEBUSY of the calendar's busy time in the range, as text/calendar.</summary>
public sealed class FreeBusyQuery() : DavReport<ICalendarCollectionNode>(DavNames.FreeBusyQuery)
{
    protected override async Task RunAsync(DavContext context, ICalendarCollectionNode node, ReportRequest request)
    {
        var range = ((FreeBusyQueryRequest)request).Range;
        var objects = (await CalendarObjects.LoadAsync(context, (CalendarNode)node, range)).Select(o => o.Object);
        var body = Encoding.UTF8.GetBytes(CalendarData.FreeBusy(objects, range, context.Time.GetUtcNow()));
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/calendar; charset=utf-8";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.Aborted);
    }
}
