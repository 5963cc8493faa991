using SyncServer.Core.Model;

namespace SyncServer.Core.Store;

/// <summary>An item's bytes as every protocol must serve them: the per-item header prefix, then the blob.</summary>
public static class ItemContent
{
    /// <summary>
    /// Opens the item's content as one read-only stream of <see cref="Item.Size"/> bytes, seekable (IMAP partial
    /// fetches); throws <see cref="StoreNotFoundException"/> when the blob is missing.
    /// </summary>
    public static ValueTask<Stream> OpenAsync(Item item, IBlobStore blobs, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var blob = blobs.OpenRead(item.BlobId);
        return ValueTask.FromResult<Stream>(item.HeaderPrefix.IsEmpty ? blob : new PrefixedStream(item.HeaderPrefix, blob));
    }

    /// <summary>A few bytes in memory followed by a stream, read as one.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => rest.CanSeek;
        public override bool CanWrite => false;
        public override long Length => prefix.Length + rest.Length;

        public override long Position
        {
            get => _position;
            set => Seek(value, SeekOrigin.Begin);
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position < prefix.Length)
                return CopyFromPrefix(buffer);
            var read = rest.Read(buffer);
            _position += read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position < prefix.Length)
                return CopyFromPrefix(buffer.Span);
            var read = await rest.ReadAsync(buffer, cancellationToken);
            _position += read;
            return read;
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            var target = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => _position + offset,
                _ => Length + offset,
            };
            ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
            rest.Seek(Math.Max(0, target - prefix.Length), SeekOrigin.Begin);
            _position = target;
            return target;
        }

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                rest.Dispose();
            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync() => rest.DisposeAsync();

        private int CopyFromPrefix(Span<byte> buffer)
        {
            var from = prefix.Span[(int)_position..];
            var count = Math.Min(from.Length, buffer.Length);
            from[..count].CopyTo(buffer);
            _position += count;
            return count;
        }
    }
}
