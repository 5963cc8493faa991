using System.Xml.Linq;
using SyncServer.Core.Directory;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.Dav;

namespace SyncServer.Server.Dav;

/// <summary>One authenticated DAV request: who asks, what they ask for, and the services a handler needs.</summary>
public sealed class DavContext(HttpContext http, Account account, IStore store, IBlobStore blobs, DavOptions options, TimeProvider time, DavTree tree,
    SharingAdministration sharing, GlobalAddressList directory)
{
    private IReadOnlyList<SharedCollection>? _sharedWith;
    private GalListing? _directoryListing;
    private readonly Dictionary<CollectionId, IReadOnlyList<Sharee>> _sharees = [];

    public HttpContext Http { get; } = http;
    public Account Account { get; } = account;
    public IStore Store { get; } = store;
    public IBlobStore Blobs { get; } = blobs;
    public DavOptions Options { get; } = options;
    public TimeProvider Time { get; } = time;
    public DavTree Tree { get; } = tree;
    public SharingAdministration Sharing { get; } = sharing;
    public CancellationToken Aborted => Http.RequestAborted;
    public ILogger Logger => Http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("SyncServer.Server.Dav");
    public HttpRequest Request => Http.Request;
    public HttpResponse Response => Http.Response;

    /// <summary>The request path still percent-encoded, as the tree resolves it.</summary>
    public string RequestPath => Request.Path.ToUriComponent();

    public Task<Nodes.DavNode?> ResolveRequestAsync() => Tree.ResolveAsync(this, RequestPath);

    /// <summary>The collections other accounts share with the user, read once per request.</summary>
    public async Task<IReadOnlyList<SharedCollection>> SharedWithAsync()
        => _sharedWith ??= await Sharing.ListSharedWithAsync(Account.Id, Aborted);

    /// <summary>The accounts a collection is shared with, read once per request and collection.</summary>
    public async Task<IReadOnlyList<Sharee>> ShareesAsync(Collection collection)
    {
        if (!_sharees.TryGetValue(collection.Id, out var sharees))
            _sharees[collection.Id] = sharees = await Sharing.ListShareesAsync(collection, Aborted);
        return sharees;
    }

    /// <summary>The global address list of the user's domain, read once per request.</summary>
    public async Task<GalListing> DirectoryListingAsync() => _directoryListing ??= await directory.ListAsync(Account.Domain, Aborted);

    /// <summary>RFC 8144 <c>Prefer: return=minimal</c>, and Apple's older <c>return-minimal</c> / <c>Brief: t</c>.</summary>
    public bool PreferMinimal
        => Request.Headers["Prefer"].Any(p => p is not null && (p.Contains("return=minimal", StringComparison.OrdinalIgnoreCase) || p.Contains("return-minimal", StringComparison.OrdinalIgnoreCase)))
            || string.Equals(Request.Headers["Brief"], "t", StringComparison.OrdinalIgnoreCase);

    /// <summary>The Depth header: 0, 1, or (infinity, refused for PROPFIND by answering as 1) — <paramref name="fallback"/> when absent.</summary>
    public int Depth(int fallback)
    {
        var value = Request.Headers["Depth"].ToString().Trim();
        return value switch
        {
            "0" => 0,
            "1" => 1,
            "" => fallback,
            _ => 1,
        };
    }

    public Task StatusAsync(int status)
    {
        Response.StatusCode = status;
        return Task.CompletedTask;
    }

    public Task XmlAsync(int status, byte[] body)
    {
        Response.StatusCode = status;
        Response.ContentType = "application/xml; charset=utf-8";
        Response.ContentLength = body.Length;
        return Response.Body.WriteAsync(body, Aborted).AsTask();
    }

    /// <summary>A failed precondition (RFC 4918 §16): the status and a <c>DAV:error</c> body naming it.</summary>
    public Task ErrorAsync(int status, XName condition) => XmlAsync(status, MultistatusWriter.WriteError(condition));

    public Task MultistatusAsync(Multistatus multistatus) => XmlAsync(207, MultistatusWriter.Write(multistatus, PreferMinimal));

    /// <summary>
    /// Reads the request body, at most <paramref name="limit"/> bytes; null when larger (the caller answers 413).
    /// </summary>
    public async Task<byte[]?> ReadBodyAsync(long limit)
    {
        if (Request.ContentLength > limit)
            return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await Request.Body.ReadAsync(chunk, Aborted)) > 0)
        {
            if (buffer.Length + read > limit)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Reads and parses an XML body: <c>(true, null)</c> for an empty body, <c>(true, doc)</c> for XML, <c>(false, _)</c>
    /// after answering 413 (too large) or 400 (not acceptable XML: a DTD, too deep, malformed).
    /// </summary>
    public async Task<(bool Ok, XDocument? Document)> ReadXmlAsync()
    {
        var body = await ReadBodyAsync(Options.Xml.MaxDavBodySize);
        if (body is null)
        {
            await StatusAsync(StatusCodes.Status413PayloadTooLarge);
            return (false, null);
        }
        if (body.Length == 0)
            return (true, null);
        if (!DavXml.TryParse(body, Options.Xml, out var document, out var error))
        {
            await BadRequestAsync(error);
            return (false, null);
        }
        return (true, document);
    }

    public Task BadRequestAsync(string reason)
    {
        Log.BadRequest(Logger, reason);
        return StatusAsync(StatusCodes.Status400BadRequest);
    }
}
