using System.Xml.Linq;
using SyncServer.Protocols.Dav;
using SyncServer.Server.Dav.Nodes;

namespace SyncServer.Server.Dav.Reports;

/// <summary>A REPORT handler; it applies to nodes that have its capability interface, so supported-report-set is derived from this list.</summary>
public interface IDavReport
{
    XName Name { get; }

    bool AppliesTo(DavNode node);

    Task RunAsync(DavContext context, DavNode node, ReportRequest request);
}

/// <summary>A report that applies to nodes implementing <typeparamref name="TCapability"/>.</summary>
public abstract class DavReport<TCapability>(XName name) : IDavReport
{
    public XName Name { get; } = name;

    public bool AppliesTo(DavNode node) => node is TCapability;

    public Task RunAsync(DavContext context, DavNode node, ReportRequest request) => RunAsync(context, (TCapability)(object)node, request);

    protected abstract Task RunAsync(DavContext context, TCapability node, ReportRequest request);
}

public static class DavReports
{
    public static readonly IReadOnlyList<IDavReport> All =
    [
        new SyncCollection(), new DirectorySyncCollection(), new CalendarMultiget(), new CalendarQuery(), new FreeBusyQuery(), new AddressBookMultiget(), new AddressBookQuery(),
    ];
}
