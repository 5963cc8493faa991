using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using SyncServer.Protocols.Imap;
using SyncServer.Server.Shared;

namespace SyncServer.Server.Imap;

/// <summary>
/// The bytes of one IMAP connection: the current reader and writer (replaced by ones over TLS after STARTTLS, and
/// by ones through DEFLATE after COMPRESS), command framing through <see cref="ImapCommandParser"/>, and response
/// writing.
/// </summary>
/// <remarks>
/// Input is read through a <see cref="StreamPipeReader"/> over the transport rather than the transport pipe
/// itself: the parser consumes a command only once all its literals are there, and a stream reader has no pause
/// threshold, so it can hold a command's literals (bounded by <see cref="ImapParserLimits"/>) where Kestrel's
/// transport pipe would stop reading at its 1 MiB limit and stall the connection. APPEND's message literal is not
/// held: <see cref="OpenAppendMessage"/> streams it to the blob store as it arrives.
/// </remarks>
public sealed class ImapConnection : IAsyncDisposable
{
    private readonly ConnectionContext _context;
    private readonly ImapParserLimits _limits;
    private ImapCommandState _state;
    private SslStream? _tls;

    public ImapConnection(ConnectionContext context, ImapParserLimits limits)
    {
        _context = context;
        _limits = limits;
        Input = PipeReader.Create(context.Transport.Input.AsStream(leaveOpen: true));
        Output = context.Transport.Output;
        IsTls = context.Features.Get<ITlsHandshakeFeature>() is not null;
    }

    public PipeReader Input { get; private set; }

    public PipeWriter Output { get; private set; }

    public bool IsTls { get; private set; }

    public bool IsCompressed { get; private set; }

    public IPAddress? RemoteAddress => (_context.RemoteEndPoint as IPEndPoint)?.Address;

    public ImapParserLimits Limits => _limits;

    public void Write(ImapResponse response) => ImapResponseWriter.Write(Output, response);

    public async ValueTask FlushAsync(CancellationToken cancellationToken) => await Output.FlushAsync(cancellationToken);

    /// <summary>The next command, syntax error or continuation request; null when the client has closed.</summary>
    public async ValueTask<ImapParseOutcome?> ReadCommandAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await Input.ReadAsync(cancellationToken);
            if (TryParse(result.Buffer, out var outcome, out var consumed))
            {
                Input.AdvanceTo(consumed);
                return outcome;
            }
            Input.AdvanceTo(consumed, result.Buffer.End);
            if (result.IsCompleted)
                return null;
        }
    }

    /// <summary>One line that is not a command (IDLE's DONE, a SASL response); null when the client has closed.</summary>
    public async ValueTask<ImapLine?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await Input.ReadAsync(cancellationToken);
            if (TryParseLine(result.Buffer, out var line, out var consumed))
            {
                Input.AdvanceTo(consumed);
                return line;
            }
            Input.AdvanceTo(consumed, result.Buffer.End);
            if (result.IsCompleted)
                return null;
        }
    }

    /// <summary>
    /// After an <see cref="Append"/> (and the <c>+</c> its synchronizing literal waits for): the message literal as a
    /// stream that reads it from the input as it arrives and ends with it, so a message is never held in memory.
    /// </summary>
    public Stream OpenAppendMessage() => new AppendMessageStream(this);

    /// <summary>After the message literal: null when the APPEND ends there, else the error to answer it with.</summary>
    public async ValueTask<ImapSyntaxError?> ReadAppendEndAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await Input.ReadAsync(cancellationToken);
            var reader = new SequenceReader<byte>(result.Buffer);
            if (ImapCommandParser.TryParseAppendEnd(ref reader, ref _state, out var error))
            {
                Input.AdvanceTo(reader.Position);
                return error;
            }
            Input.AdvanceTo(reader.Position, result.Buffer.End);
            if (result.IsCompleted)
                throw new IOException("The client closed the connection inside an APPEND.");
        }
    }

    /// <summary>
    /// An APPEND the session refused before reading its message: a synchronizing literal will not come (the client
    /// waits for a <c>+</c> it does not get); a non-synchronizing one is read and dropped.
    /// </summary>
    public async Task SkipAppendMessageAsync(Append command, CancellationToken cancellationToken)
    {
        if (command.Synchronizing)
        {
            ImapCommandParser.AbandonAppend(ref _state);
            return;
        }
        await using (var message = OpenAppendMessage())
            await message.CopyToAsync(Stream.Null, cancellationToken);
        await ReadAppendEndAsync(cancellationToken);
    }

    /// <summary>
    /// Whether the client sent anything after the STARTTLS command: such bytes were sent in the clear and must not
    /// be read as if they came over TLS (the CVE-2011-0411 class of command injection).
    /// </summary>
    public bool HasBufferedInput()
    {
        if (Input.TryRead(out var result))
        {
            var any = !result.Buffer.IsEmpty;
            Input.AdvanceTo(result.Buffer.Start);
            if (any)
                return true;
        }
        if (_context.Transport.Input.TryRead(out var raw))
        {
            var any = !raw.Buffer.IsEmpty;
            _context.Transport.Input.AdvanceTo(raw.Buffer.Start);
            return any;
        }
        return false;
    }

    /// <summary>Negotiates TLS over the transport and continues with reader and writer over it and a fresh parser state.</summary>
    public async Task StartTlsAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        var transport = new DuplexStream(_context.Transport.Input.AsStream(leaveOpen: true), _context.Transport.Output.AsStream(leaveOpen: true));
        _tls = new SslStream(transport, leaveInnerStreamOpen: false);
        await _tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, cancellationToken);
        Input = PipeReader.Create(_tls);
        Output = PipeWriter.Create(_tls);
        _state = default;
        IsTls = true;
    }

    /// <summary>Whether the input holds bytes not yet parsed, e.g. sent after COMPRESS before its tagged OK.</summary>
    public bool HasUnparsedInput()
    {
        if (!Input.TryRead(out var result))
            return false;
        Input.AdvanceTo(result.Buffer.Start);
        return !result.Buffer.IsEmpty;
    }

    /// <summary>
    /// COMPRESS=DEFLATE (RFC 4978 §4): from here on both directions are raw DEFLATE over the current stream (TLS or
    /// the transport). Every flush of a response ends in a sync flush, so the client can inflate it at once.
    /// </summary>
    public void StartCompression()
    {
        Stream inner = _tls is not null
            ? _tls
            : new DuplexStream(_context.Transport.Input.AsStream(leaveOpen: true), _context.Transport.Output.AsStream(leaveOpen: true));
        Input = PipeReader.Create(new DeflateStream(inner, CompressionMode.Decompress, leaveOpen: true));
        Output = PipeWriter.Create(new DeflateStream(inner, CompressionLevel.Fastest, leaveOpen: true));
        _state = default;
        IsCompressed = true;
    }

    public async ValueTask DisposeAsync()
    {
        await Input.CompleteAsync();
        try
        {
            // Ends the DEFLATE stream when compressing; the client may be gone by then.
            await Output.CompleteAsync();
        }
        catch (IOException)
        {
        }
        if (_tls is not null)
            await _tls.DisposeAsync();
    }

    /// <summary>Copies up to <paramref name="buffer"/>'s length of the APPEND message literal into it, waiting for at least one octet unless none remain.</summary>
    internal async ValueTask<(int Count, long Remaining)> ReadAppendLiteralAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await Input.ReadAsync(cancellationToken);
            var reader = new SequenceReader<byte>(result.Buffer.Slice(0, Math.Min(result.Buffer.Length, buffer.Length)));
            var octets = ImapCommandParser.ReadAppendLiteral(ref reader, ref _state, out var remaining);
            octets.CopyTo(buffer.Span);
            Input.AdvanceTo(reader.Position);
            if (octets.Length > 0 || remaining == 0)
                return ((int)octets.Length, remaining);
            if (result.IsCompleted)
                throw new IOException("The client closed the connection inside an APPEND literal.");
        }
    }

    private bool TryParse(ReadOnlySequence<byte> buffer, out ImapParseOutcome? outcome, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        var found = ImapCommandParser.TryParse(ref reader, _limits, ref _state, out outcome);
        consumed = reader.Position;
        return found;
    }

    private bool TryParseLine(ReadOnlySequence<byte> buffer, out ImapLine? line, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        var found = ImapCommandParser.TryParseLine(ref reader, _limits, ref _state, out var text, out var error);
        consumed = reader.Position;
        line = found ? new ImapLine(text, error) : null;
        return found;
    }
}

/// <summary>The octets of an APPEND message literal, read from the connection's input as the caller asks for them.</summary>
internal sealed class AppendMessageStream(ImapConnection connection) : Stream
{
    private bool _ended;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_ended || buffer.IsEmpty)
            return 0;
        var read = await connection.ReadAppendLiteralAsync(buffer, cancellationToken);
        _ended = read.Remaining == 0;
        return read.Count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read the APPEND message asynchronously.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>A line read with <see cref="ImapConnection.ReadLineAsync"/>: its text, or why it was refused.</summary>
public sealed record ImapLine(string? Text, ImapSyntaxError? Error);
