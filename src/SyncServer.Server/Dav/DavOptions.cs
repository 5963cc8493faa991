using SyncServer.Protocols.Dav;

namespace SyncServer.Server.Dav;

/// <summary>Limits of the DAV front-end.</summary>
public sealed record DavOptions
{
    /// <summary>The largest calendar object or vCard a client may PUT (CalDAV/CardDAV max-resource-size).</summary>
    public long MaxResourceSize { get; init; } = 10 * 1024 * 1024;

    public DavXmlLimits Xml { get; init; } = DavXmlLimits.Default;

    /// <summary>Most members a Depth: 1 listing or a report answers in one multistatus.</summary>
    public int MaxResults { get; init; } = 100_000;
}
