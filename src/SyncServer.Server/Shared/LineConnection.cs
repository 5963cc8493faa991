using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using SyncServer.Protocols.Common;

namespace SyncServer.Server.Shared;

/// <summary>
/// The current input and output of one line-protocol connection (SMTP, POP3): Kestrel's transport pipes, replaced
/// by pipes over an <see cref="SslStream"/> after STARTTLS/STLS (never touch <c>ConnectionContext.Transport</c> after that). Every read
/// has a timeout from the injected <see cref="TimeProvider"/>; Kestrel has none for non-HTTP connections.
/// </summary>
public sealed class LineConnection(ConnectionContext context, TimeProvider time) : IAsyncDisposable
{
    private SslStream? _tls;
    private LineState _lineState;
    // False right after a command was consumed: more pipelined commands may already be buffered.
    private bool _needMore = true;

    public PipeReader Input { get; private set; } = context.Transport.Input;
    public PipeWriter Output { get; private set; } = context.Transport.Output;
    public bool IsTls { get; private set; } = context.Features.Get<ITlsHandshakeFeature>() is not null;

    /// <summary>
    /// Whether bytes followed the last command read: after STARTTLS/STLS they were sent in the clear and must not
    /// be run as if they came over TLS (the command injection of CVE-2011-0411).
    /// </summary>
    public bool HasPipelinedInput { get; private set; }

    /// <summary>
    /// The next command through <paramref name="parse"/> (a protocol's pure parser, given this connection's line
    /// state); <c>default</c> when the client closed the connection first.
    /// </summary>
    /// <exception cref="TimeoutException">Nothing arrived within <paramref name="timeout"/>.</exception>
    public async ValueTask<T?> ReadCommandAsync<T>(CommandParser<T> parse, TimeSpan timeout, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await ReadAsync(timeout, cancellationToken);
            if (TryParse(parse, result.Buffer, out var consumed, out var command))
            {
                HasPipelinedInput = !result.Buffer.Slice(consumed).IsEmpty;
                Consume(consumed);
                return command;
            }
            NeedMore(consumed, result.Buffer.End);
            if (result.IsCompleted)
                return default;
        }
    }

    /// <summary>
    /// The buffered input, or the next bytes to arrive. Replies are flushed only when the client has nothing more
    /// buffered, so a pipelined group of commands gets its replies in one packet (RFC 2920 §3.1, RFC 2449 §6.6).
    /// </summary>
    /// <exception cref="TimeoutException">Nothing arrived within <paramref name="timeout"/>.</exception>
    public async ValueTask<ReadResult> ReadAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!_needMore && Input.TryRead(out var buffered))
        {
            if (!buffered.Buffer.IsEmpty || buffered.IsCompleted)
                return buffered;
            Input.AdvanceTo(buffered.Buffer.Start);
        }
        await Output.FlushAsync(cancellationToken);
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            return await Input.ReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("client sent nothing in time");
        }
    }

    /// <summary>Input up to <paramref name="consumed"/> is used; what follows may be a complete command already.</summary>
    public void Consume(SequencePosition consumed)
    {
        Input.AdvanceTo(consumed);
        _needMore = false;
    }

    /// <summary>Input up to <paramref name="consumed"/> is used and the rest is incomplete: wait for more bytes.</summary>
    public void NeedMore(SequencePosition consumed, SequencePosition examined)
    {
        Input.AdvanceTo(consumed, examined);
        _needMore = true;
    }

    /// <summary>
    /// One CRLF-ended line of at most <paramref name="maxLength"/> octets, outside the command grammar (an AUTH
    /// response). Null when the client closed the connection or sent a longer line; the caller then closes.
    /// </summary>
    public async ValueTask<string?> ReadLineAsync(int maxLength, TimeSpan timeout, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await ReadAsync(timeout, cancellationToken);
            var buffer = result.Buffer;
            if (buffer.PositionOf((byte)'\n') is { } lineFeed)
            {
                var line = buffer.Slice(0, lineFeed);
                var text = line.Length <= maxLength ? Encoding.UTF8.GetString(line).TrimEnd('\r') : null;
                Consume(buffer.GetPosition(1, lineFeed));
                return text;
            }
            NeedMore(buffer.Start, buffer.End);
            if (result.IsCompleted || buffer.Length > maxLength)
                return null;
        }
    }

    public ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken) => Output.FlushAsync(cancellationToken);

    /// <summary>The TLS handshake right after the go-ahead reply (RFC 3207, RFC 2595 §4), then the session continues over TLS.</summary>
    public async Task StartTlsAsync(X509Certificate2 certificate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await Output.FlushAsync(cancellationToken);
        _tls = new SslStream(new DuplexStream(Input.AsStream(leaveOpen: true), Output.AsStream(leaveOpen: true)));
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        await _tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, linked.Token);
        // Both pipes leave the stream to DisposeAsync: completing the reader would otherwise dispose it under the
        // writer's last flush.
        Input = PipeReader.Create(_tls, new StreamPipeReaderOptions(leaveOpen: true));
        Output = PipeWriter.Create(_tls, new StreamPipeWriterOptions(leaveOpen: true));
        IsTls = true;
        _needMore = true;
        _lineState = default;
    }

    private bool TryParse<T>(CommandParser<T> parse, ReadOnlySequence<byte> buffer, out SequencePosition consumed, out T command)
    {
        var reader = new SequenceReader<byte>(buffer);
        var parsed = parse(ref reader, ref _lineState, out command);
        consumed = reader.Position;
        return parsed;
    }

    public async ValueTask DisposeAsync()
    {
        if (_tls is null)
            return; // Kestrel completes its own transport pipes
        try
        {
            await Output.CompleteAsync(); // flushes what is still buffered
        }
        catch (IOException)
        {
            // The client is gone (reset after its last command): there is nobody left to answer.
        }
        await Input.CompleteAsync();
        await _tls.DisposeAsync();
    }
}

/// <summary>A protocol's command parser as <see cref="LineConnection.ReadCommandAsync"/> calls it: false = needs more bytes.</summary>
public delegate bool CommandParser<T>(ref SequenceReader<byte> reader, ref LineState state, out T command);
