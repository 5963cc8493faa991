using System.Globalization;
using System.IO.Compression;
using System.Xml.Linq;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.ActiveSync.Http;
using SyncServer.Protocols.ActiveSync.Wbxml;
using SyncServer.Server.Shared;

namespace SyncServer.Server.ActiveSync;

/// <summary>
/// <c>/Microsoft-Server-ActiveSync</c> (MS-ASHTTP): OPTIONS advertises versions and commands; POST authenticates,
/// reads the request line, records the device, checks provisioning, decodes WBXML, runs the command and encodes
/// its answer. Routing matches the path case-insensitively (EAS-HTTP-01).
/// </summary>
public sealed partial class ActiveSyncEndpoint(
    Authenticator authenticator, IDeviceStore devices, CommandTable commands, PingRegistry pings, DeviceCap deviceCap, ILogger<ActiveSyncEndpoint> logger)
{
    public const string Path = "/Microsoft-Server-ActiveSync";
    private const string WbxmlContentType = "application/vnd.ms-sync.wbxml";
    private const string ServerVersion = "16.1";

    public async Task OptionsAsync(HttpContext context)
    {
        if (await AuthenticateAsync(context) is null)
            return;
        var response = context.Response;
        response.Headers["MS-Server-ActiveSync"] = ServerVersion;
        response.Headers["MS-ASProtocolVersions"] = string.Join(',', ActiveSyncVersion.Supported);
        response.Headers["MS-ASProtocolCommands"] = string.Join(',', commands.Names);
        response.Headers.Allow = "OPTIONS,POST";
        response.Headers["Public"] = "OPTIONS,POST";
        response.Headers.CacheControl = "private";
        response.ContentLength = 0;
    }

    /// <summary>A browser that opens the URL gets a plain page, not an error (EAS-HTTP-01).</summary>
    public static IResult Get() => Results.Text("This is an Exchange ActiveSync endpoint for mobile mail clients.\n");

    public async Task PostAsync(HttpContext context)
    {
        var account = await AuthenticateAsync(context);
        if (account is null)
            return;
        if (!ActiveSyncQueryParser.TryParse(context.Request.QueryString.Value?.TrimStart('?') ?? "", out var query, out var queryError))
        {
            await BadRequestAsync(context, queryError);
            return;
        }
        var versionText = context.Request.Headers["MS-ASProtocolVersion"].FirstOrDefault() ?? query.ProtocolVersion;
        if (!ActiveSyncVersion.TryParse(versionText, out var version) || !ActiveSyncVersion.Supported.Contains(version))
        {
            await BadRequestAsync(context, $"protocol version '{versionText}' is not one of {string.Join(',', ActiveSyncVersion.Supported)}");
            return;
        }
        var command = commands.Find(query.Command);
        if (command is null)
        {
            context.Response.StatusCode = StatusCodes.Status501NotImplemented;
            return;
        }
        if (version < command.MinimumVersion)
        {
            await BadRequestAsync(context, $"{command.Name} needs protocol version {command.MinimumVersion} or later");
            return;
        }

        var cancellationToken = context.RequestAborted;
        var device = await devices.RecordRequestAsync(account.Id, query.DeviceId, query.DeviceType,
            context.Request.Headers.UserAgent.FirstOrDefault(), version.ToString(), cancellationToken);
        await deviceCap.MakeRoomAsync(account, device, cancellationToken);
        if (device.Wipe == WipeState.Wiped)
        {
            // A wiped device stays blocked until an administrator removes it (`device remove`).
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        // Any request of the device ends the Ping it left waiting (EAS-PING-05).
        pings.Interrupt(account.Id, device.DeviceId);
        var policyKey = PolicyKeyOf(context, query);
        if (command.NeedsProvisioning && ProvisioningRefusal(device, policyKey) is { } refusal)
        {
            CommandRefused(logger, command.Name, account.Address, device.DeviceId, refusal);
            // AS 12.1 knows only HTTP 449; 14.0 and later read the command's own Status (MS-ASPROV 3.1.5.2).
            if (version <= ActiveSyncVersion.V12_1)
                context.Response.StatusCode = 449;
            else
                await WriteAsync(context, new ActiveSyncResponse(new XElement(command.Root, new XElement(command.Root.Namespace + "Status", refusal))));
            return;
        }

        var body = await ReadBodyAsync(context, cancellationToken);
        XElement? document = null;
        var isMime = context.Request.ContentType?.StartsWith("message/rfc822", StringComparison.OrdinalIgnoreCase) == true;
        if (body.Length > 0 && !isMime && !WbxmlDecoder.TryDecode(body, WbxmlLimits.Default, out document, out var wbxmlError))
        {
            await BadRequestAsync(context, wbxmlError.ToString());
            return;
        }
        if (document is not null && document.Name != command.Root)
        {
            await BadRequestAsync(context, $"{command.Name} expects <{command.Root.LocalName}>, not <{document.Name.LocalName}>");
            return;
        }
        var response = await command.HandleAsync(new ActiveSyncRequest(account, device, query, version, policyKey, document)
        {
            Mime = isMime ? body : null,
            AcceptMultiPart = query.AcceptMultiPart || context.Request.Headers["MS-ASAcceptMultiPart"].FirstOrDefault() is "T" or "t",
            RemoteAddress = context.Connection.RemoteIpAddress,
        }, cancellationToken);
        context.Response.StatusCode = response.StatusCode;
        await WriteAsync(context, response);
    }

    /// <summary>
    /// Why the device may not run a command that needs provisioning, or null. A pending wipe refuses everything but
    /// Provision, which then carries the wipe directive (MS-ASPROV 3.1.5.1.1).
    /// </summary>
    private static int? ProvisioningRefusal(Device device, uint? policyKey)
    {
        if (device.Wipe != WipeState.None || device.PolicyKey == 0)
            return ActiveSyncStatus.DeviceNotProvisioned;
        return policyKey == device.PolicyKey ? null : ActiveSyncStatus.InvalidPolicyKey;
    }

    private static uint? PolicyKeyOf(HttpContext context, ActiveSyncQuery query)
        => uint.TryParse(context.Request.Headers["X-MS-PolicyKey"].FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var key)
            ? key
            : query.PolicyKey;

    /// <summary>Basic authentication; answers 401 with an empty body itself when it fails (EAS-HTTP-03).</summary>
    private async Task<Account?> AuthenticateAsync(HttpContext context)
    {
        if (await authenticator.AuthenticateBasicAsync(context, "ActiveSync") is { } account)
            return account;
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"ActiveSync\", charset=\"UTF-8\"";
        context.Response.ContentLength = 0;
        return null;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private async Task BadRequestAsync(HttpContext context, string reason)
    {
        RequestRefused(logger, reason);
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(reason + "\n", context.RequestAborted);
    }

    /// <summary>A WBXML document, a multipart body (its part 0 the document), raw bytes (GetAttachment) or nothing.</summary>
    private static async Task WriteAsync(HttpContext context, ActiveSyncResponse answer)
    {
        var response = context.Response;
        response.Headers["MS-Server-ActiveSync"] = ServerVersion;
        response.Headers.CacheControl = "private";
        (string? ContentType, ReadOnlyMemory<byte> Bytes) payload = answer switch
        {
            { Content: { } content } => (content.ContentType, content.Bytes),
            { Body: { } body, Parts: { } parts } => (MultiPartResponse.ContentType, MultiPartResponse.Write([WbxmlEncoder.Encode(body), .. parts])),
            { Body: { } body } => (WbxmlContentType, WbxmlEncoder.Encode(body)),
            _ => (null, ReadOnlyMemory<byte>.Empty),
        };
        if (payload.ContentType is null)
        {
            response.ContentLength = 0;
            return;
        }
        response.ContentType = payload.ContentType;
        if (context.Request.Headers.AcceptEncoding.Any(e => e?.Contains("gzip", StringComparison.OrdinalIgnoreCase) == true))
        {
            response.Headers.ContentEncoding = "gzip";
            await using var gzip = new GZipStream(response.Body, CompressionLevel.Fastest, leaveOpen: true);
            await gzip.WriteAsync(payload.Bytes, context.RequestAborted);
            return;
        }
        response.ContentLength = payload.Bytes.Length;
        await response.Body.WriteAsync(payload.Bytes, context.RequestAborted);
    }

    [LoggerMessage(6001, LogLevel.Information, "ActiveSync request refused: {Reason}")]
    private static partial void RequestRefused(ILogger logger, string reason);

    [LoggerMessage(6002, LogLevel.Information, "ActiveSync {Command} of {Account} on device {DeviceId} needs provisioning (status {Status})")]
    private static partial void CommandRefused(ILogger logger, string command, string account, string deviceId, int status);
}
