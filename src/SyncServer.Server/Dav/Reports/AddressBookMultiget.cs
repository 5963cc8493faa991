using SyncServer.Protocols.Dav;
using SyncServer.Server.Dav.Nodes;

namespace SyncServer.Server.Dav.Reports;

/// <summary>addressbook-multiget (RFC 6352 §8.7): the asked properties of the listed vCards.</summary>
public sealed class AddressBookMultiget() : DavReport<IAddressBookNode>(DavNames.AddressBookMultiget)
{
    protected override Task RunAsync(DavContext context, IAddressBookNode node, ReportRequest request)
        => Multiget.RunAsync(context, (DavNode)node, (MultigetRequest)request);
}
