using MimeKit;
using MimeKit.Utils;
using SyncServer.Core.Model;

namespace SyncServer.Core.Delivery;

/// <summary>
/// The body of one message while it arrives: a temporary file, never the whole message in memory. The file is
/// deleted when the spool is disposed; once the message is committed its bytes live in the blob store.
/// </summary>
internal sealed class MessageSpool : IAsyncDisposable
{
    // The index only needs the header block; a message whose header block is larger is indexed from its start.
    private const int MaxIndexedHeaderBytes = 256 * 1024;

    private readonly string _path;
    private readonly FileStream _file;

    private MessageSpool(string path, FileStream file)
    {
        _path = path;
        _file = file;
    }

    public static MessageSpool Create(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".eml");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 81920,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        return new MessageSpool(path, file);
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) => _file.WriteAsync(bytes, cancellationToken);

    /// <summary>Makes everything written visible to <see cref="OpenRead"/>; no fsync, the blob store makes the durable copy.</summary>
    public Task FinishAsync(CancellationToken cancellationToken) => _file.FlushAsync(cancellationToken);

    /// <summary>A new spool (in the same folder) holding this one's bytes as <paramref name="rewrite"/> writes them from its input.</summary>
    public async Task<MessageSpool> RewriteAsync(Func<Stream, Stream, CancellationToken, Task> rewrite, CancellationToken cancellationToken)
    {
        var rewritten = Create(Path.GetDirectoryName(_path)!);
        try
        {
            await using (var input = OpenRead())
                await rewrite(input, rewritten._file, cancellationToken);
            return rewritten;
        }
        catch
        {
            await rewritten.DisposeAsync();
            throw;
        }
    }

    /// <summary>The octets written so far.</summary>
    public long Length => _file.Length;

    public Stream OpenRead()
        => new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, FileOptions.Asynchronous);

    /// <summary>Subject, From, To, Message-ID and Date from the header block (decoded as MimeKit decodes them).</summary>
    public async Task<MailIndex> ReadIndexAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[(int)Math.Min(_file.Length, MaxIndexedHeaderBytes)];
        await using (var stream = OpenRead())
            await stream.ReadExactlyAsync(buffer, cancellationToken);
        HeaderList headers;
        try
        {
            headers = await HeaderList.LoadAsync(new MemoryStream(buffer, writable: false), cancellationToken);
        }
        catch (FormatException)
        {
            return new MailIndex(MailFlags.None, []); // not a parsable header block: stored as sent, just not indexed
        }
        return new MailIndex(MailFlags.None, [],
            Subject: headers[HeaderId.Subject],
            From: headers[HeaderId.From],
            To: headers[HeaderId.To],
            MessageId: headers[HeaderId.MessageId]?.Trim(),
            SentDate: DateUtils.TryParse(headers[HeaderId.Date], out DateTimeOffset date) ? date : null);
    }

    public ValueTask DisposeAsync() => _file.DisposeAsync();
}
