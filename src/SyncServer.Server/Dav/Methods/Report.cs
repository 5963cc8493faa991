using SyncServer.Protocols.Dav;
using SyncServer.Server.Dav.Reports;

namespace SyncServer.Server.Dav.Methods;

/// <summary>REPORT (RFC 3253 §3.6): dispatches to the report named by the body's root, if it applies to the node (else 403 supported-report).</summary>
public static class Report
{
    public static async Task HandleAsync(DavContext context)
    {
        var (ok, document) = await context.ReadXmlAsync();
        if (!ok)
            return;
        var request = document is null ? null : DavRequestParser.ParseReport(document, out _);
        if (request is null)
        {
            await context.BadRequestAsync("REPORT needs a valid body");
            return;
        }
        var node = await context.ResolveRequestAsync();
        if (node is null)
        {
            await context.StatusAsync(StatusCodes.Status404NotFound);
            return;
        }
        var report = DavReports.All.FirstOrDefault(r => r.Name == request.Name && r.AppliesTo(node));
        if (report is null)
        {
            await context.ErrorAsync(StatusCodes.Status403Forbidden, DavNames.Dav + "supported-report");
            return;
        }
        await report.RunAsync(context, node, request);
    }
}
