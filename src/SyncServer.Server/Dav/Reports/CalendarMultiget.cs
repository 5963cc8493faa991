using SyncServer.Protocols.Dav;
using SyncServer.Server.Dav.Nodes;

namespace SyncServer.Server.Dav.Reports;

/// <summary>calendar-multiget (RFC 4791 §7.9): the asked properties of the listed calendar objects.</summary>
public sealed class CalendarMultiget() : DavReport<ICalendarCollectionNode>(DavNames.CalendarMultiget)
{
    protected override Task RunAsync(DavContext context, ICalendarCollectionNode node, ReportRequest request)
        => Multiget.RunAsync(context, (DavNode)node, (MultigetRequest)request);
}
