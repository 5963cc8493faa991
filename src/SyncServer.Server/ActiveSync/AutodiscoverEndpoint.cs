using System.Text;
using System.Xml;
using System.Xml.Linq;
using SyncServer.Protocols.ActiveSync.Autodiscover;
using SyncServer.Server.Shared;

namespace SyncServer.Server.ActiveSync;

/// <summary>
/// POX Autodiscover for mobile clients (MS-ASCMD 2.2.1.1, 3.1.5.1; client-requirements EAS-AD-01 … 03) at
/// <c>/autodiscover/autodiscover.xml</c> in any case: Basic authentication (401 with an empty body), then the
/// MobileSync URL of the host the client reached, or the Error answer (600 malformed request, 601 a response schema
/// other than mobilesync's, such as Outlook's).
/// </summary>
public sealed partial class AutodiscoverEndpoint(Authenticator authenticator, TimeProvider time, ILogger<AutodiscoverEndpoint> logger)
{
    public const string Path = "/autodiscover/autodiscover.xml";
    private const int MaxBody = 64 * 1024;

    public async Task PostAsync(HttpContext context)
    {
        if (await authenticator.AuthenticateBasicAsync(context, "ActiveSync") is not { } account)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"Autodiscover\", charset=\"UTF-8\"";
            context.Response.ContentLength = 0;
            return;
        }
        var body = await ReadBodyAsync(context.Request.Body, context.RequestAborted);
        XDocument answer;
        if (body is null || !AutodiscoverXml.TryParse(body, out var request))
            answer = Refuse(AutodiscoverXml.InvalidRequest, "malformed request");
        else if (request!.AcceptableResponseSchema != AutodiscoverXml.MobileSyncSchema.NamespaceName)
            answer = Refuse(AutodiscoverXml.NoProviderForSchema, "response schema " + request.AcceptableResponseSchema);
        else
            answer = AutodiscoverXml.Settings(account.DisplayName, account.Address,
                new UriBuilder(Uri.UriSchemeHttps, context.Request.Host.Host, context.Request.Host.Port ?? -1, ActiveSyncEndpoint.Path).Uri);

        context.Response.ContentType = "text/xml; charset=utf-8";
        using var buffer = new MemoryStream();
        await using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Async = true }))
            await answer.SaveAsync(writer, context.RequestAborted);
        context.Response.ContentLength = buffer.Length;
        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted);
    }

    private XDocument Refuse(int errorCode, string reason)
    {
        Refused(logger, errorCode, reason);
        return AutodiscoverXml.Error(errorCode, time.GetUtcNow(), Guid.NewGuid().ToString("N")[..10]);
    }

    /// <summary>The body, or null when it is larger than any real request.</summary>
    private static async Task<byte[]?> ReadBodyAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBody)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    [LoggerMessage(6150, LogLevel.Information, "Autodiscover answered error {ErrorCode}: {Reason}")]
    private static partial void Refused(ILogger logger, int errorCode, string reason);
}
