using System.Security.Cryptography;
using System.Text;
using MimeKit;
using MimeKit.Utils;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Server.ActiveSync.Mapping;

/// <summary>
/// <c>email2:ConversationId</c> and <c>email2:ConversationIndex</c> (MS-ASEMAIL 2.2.2.21, 2.2.2.22; MS-ASCON 2.2.2.3,
/// 2.2.2.4). The id is 16 opaque bytes that every message of a thread shares: the first 16 bytes of SHA-256 over the
/// thread's root Message-ID (the first of References, else In-Reply-To, else the message's own Message-ID); a message
/// with none of them takes the GUID of its Outlook <c>Thread-Index</c>, else one of its own. The index is the
/// 5-byte header (the 40 high bits of a FILETIME, big-endian) followed by 5-byte response levels: taken from a
/// well-formed <c>Thread-Index</c> (MS-OXOMSG 2.2.1.3: its time bytes and child blocks, without the GUID), else the
/// message's own Date with no response levels.
/// </summary>
public static class EmailConversation
{
    private const int ThreadIndexHeader = 22, ResponseLevel = 5;

    public static byte[] Id(MimeMessage message, Item item) => Id(message.Headers, item);

    /// <summary>The id from the headers alone, so a conversation can be found without parsing bodies.</summary>
    public static byte[] Id(HeaderList headers, Item item)
    {
        var root = FirstId(headers, HeaderId.References) ?? FirstId(headers, HeaderId.InReplyTo) ?? FirstId(headers, HeaderId.MessageId);
        if (root is null)
        {
            if (ThreadIndex(headers) is { } index)
                return index[6..ThreadIndexHeader];
            root = "item:" + item.Id.Value;
        }
        return SHA256.HashData(Encoding.UTF8.GetBytes(root))[..16];
    }

    /// <summary>The headers of a stored message (trace prefix included), read without its body.</summary>
    public static async Task<HeaderList> HeadersAsync(Item item, IBlobStore blobs, CancellationToken cancellationToken)
    {
        await using var content = await ItemContent.OpenAsync(item, blobs, cancellationToken);
        return await HeaderList.LoadAsync(content, cancellationToken);
    }

    public static byte[] Index(MimeMessage message, Item item)
    {
        if (ThreadIndex(message.Headers) is { } index)
            return [.. index[1..6], .. index[ThreadIndexHeader..]];
        var sent = message.Headers.Contains(HeaderId.Date) ? message.Date : item.InternalDate;
        var high = (ulong)sent.UtcDateTime.ToFileTimeUtc() >> 24;
        return [(byte)(high >> 32), (byte)(high >> 24), (byte)(high >> 16), (byte)(high >> 8), (byte)high];
    }

    private static string? FirstId(HeaderList headers, HeaderId header)
        => headers[header] is { } value ? MimeUtils.EnumerateReferences(value).FirstOrDefault() : null;

    /// <summary>The decoded <c>Thread-Index</c> header when it is a 22-byte header plus whole 5-byte child blocks; else null.</summary>
    private static byte[]? ThreadIndex(HeaderList headers)
    {
        if (headers["Thread-Index"] is not { } value)
            return null;
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value.Trim(), buffer, out var length)
            && length >= ThreadIndexHeader && (length - ThreadIndexHeader) % ResponseLevel == 0
                ? buffer[..length]
                : null;
    }
}
