using System.Net;
using System.Xml.Linq;
using SyncServer.Core.Model;
using SyncServer.Protocols.ActiveSync.Http;

namespace SyncServer.Server.ActiveSync;

/// <summary>One POST after authentication, the device look-up and the provisioning check.</summary>
public sealed record ActiveSyncRequest(
    Account Account,
    Device Device,
    ActiveSyncQuery Query,
    ActiveSyncVersion Version,
    uint? PolicyKey,
    XElement? Body)
{
    /// <summary>A raw MIME body (<c>Content-Type: message/rfc822</c>: SendMail, SmartReply, SmartForward in 12.1), not decoded as WBXML.</summary>
    public ReadOnlyMemory<byte>? Mime { get; init; }

    /// <summary><c>MS-ASAcceptMultiPart: T</c> or the base64 line's option bit: ItemOperations may answer multipart (EAS-WBXML-05).</summary>
    public bool AcceptMultiPart { get; init; }

    public IPAddress? RemoteAddress { get; init; }
}

/// <summary>What a command answers: a WBXML document, or an empty 200 (legal for Sync and SendMail).</summary>
public sealed record ActiveSyncResponse(XElement? Body)
{
    public static readonly ActiveSyncResponse Empty = new((XElement?)null);

    /// <summary>The binary parts 1…n of a multipart answer (ItemOperations, EAS-WBXML-05); the body is part 0.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>>? Parts { get; init; }

    /// <summary>An answer that is not WBXML (GetAttachment: the attachment's bytes with its content type).</summary>
    public (string ContentType, ReadOnlyMemory<byte> Bytes)? Content { get; init; }

    /// <summary>The HTTP status when it is not 200 (12.1 reports command failures as HTTP statuses).</summary>
    public int StatusCode { get; init; } = StatusCodes.Status200OK;

    public static ActiveSyncResponse Http(int statusCode) => new((XElement?)null) { StatusCode = statusCode };
}

/// <summary>One ActiveSync command (MS-ASCMD 2.2.1.x); one implementation per file under <c>Commands/</c>.</summary>
public interface IActiveSyncCommand
{
    /// <summary>The command name of the request line (<c>Cmd=</c>).</summary>
    string Name { get; }

    /// <summary>The top-level element of request and response; a provisioning failure is answered as <c>Root/Status</c>.</summary>
    XName Root { get; }

    ActiveSyncVersion MinimumVersion => ActiveSyncVersion.V12_1;

    /// <summary>False only for Provision and Ping (MS-ASPROV 3.1.5.2; client-requirements EAS-PROV-06).</summary>
    bool NeedsProvisioning => true;

    Task<ActiveSyncResponse> HandleAsync(ActiveSyncRequest request, CancellationToken cancellationToken);
}

/// <summary>The commands this server implements, by name: exactly what OPTIONS advertises.</summary>
public sealed class CommandTable(IEnumerable<IActiveSyncCommand> commands)
{
    private readonly Dictionary<string, IActiveSyncCommand> _byName = commands.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);

    public IEnumerable<string> Names => _byName.Keys.Order(StringComparer.Ordinal);

    public IActiveSyncCommand? Find(string name) => _byName.GetValueOrDefault(name);
}
