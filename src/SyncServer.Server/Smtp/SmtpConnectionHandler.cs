using System.Buffers;
using System.Net;
using System.Security.Authentication;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using SyncServer.Protocols.Common;
using SyncServer.Protocols.Smtp;
using SyncServer.Server.Shared;
using SyncServer.Server.Smtp.Commands;

namespace SyncServer.Server.Smtp;

/// <summary>
/// The SMTP server side (RFC 5321) for the MX, submission and SMTPS listeners: greets, reads one command at a time
/// with the pure parser from Protocols, hands each to its handler in <c>Commands/</c> and enforces the session
/// limits (sessions per address, errors per session, read timeouts).
/// </summary>
public sealed class SmtpConnectionHandler(SmtpServices services, SmtpSessionLimiter limiter) : ConnectionHandler
{
    private static readonly SmtpReply TooManySessions = new(421, "4.7.0", "Too many connections from your address, try again later");
    private static readonly SmtpReply TooManyErrors = new(421, "4.7.0", "Too many errors, closing connection");
    private static readonly SmtpReply TimedOut = new(421, "4.4.2", "Timeout exceeded, closing connection");
    private static readonly SmtpReply ShuttingDown = new(421, "4.3.2", "Server shutting down, try again later");

    public override async Task OnConnectedAsync(ConnectionContext context)
    {
        var listener = context.Features.Get<SmtpListenerFeature>()
            ?? throw new InvalidOperationException("SMTP listener bound without SmtpListenerFeature (see Hosting/Listeners.cs)");
        var remote = (context.RemoteEndPoint as IPEndPoint)?.Address;
        var cancellationToken = context.ConnectionClosed;
        // On host shutdown a session waiting for its next command is told so at once; one in the middle of a
        // message finishes it first (the host waits for its shutdown timeout).
        var shutdown = context.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? CancellationToken.None;
        using var betweenCommands = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, shutdown);
        await using var connection = new LineConnection(context, services.Time);
        using var slot = limiter.TryEnter(remote);
        var session = new SmtpSession(connection, listener, remote, services);
        try
        {
            if (slot is null)
            {
                Log.TooManySessions(services.Logger, remote);
                connection.Reply(TooManySessions);
            }
            else
            {
                connection.Reply(SmtpReplies.Greeting(services.Options.ServerName));
                await RunAsync(session, betweenCommands.Token, cancellationToken);
            }
            await connection.FlushAsync(cancellationToken);
        }
        catch (TimeoutException)
        {
            Log.TimedOut(services.Logger, remote);
            await TrySayAsync(connection, TimedOut, cancellationToken);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await TrySayAsync(connection, ShuttingDown, cancellationToken);
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or OperationCanceledException or AuthenticationException)
        {
            Log.ConnectionLost(services.Logger, remote, e);
        }
        finally
        {
            await session.ResetTransactionAsync();
        }
    }

    private async Task RunAsync(SmtpSession session, CancellationToken betweenCommands, CancellationToken cancellationToken)
    {
        while (session.State != SmtpState.Closed)
        {
            var (command, error) = await ReadCommandAsync(session, betweenCommands);
            if (command is null && error is null)
                return; // the client closed the connection
            if (error is not null)
                session.Reply(error.ToReply());
            else
                await DispatchAsync(session, command!, cancellationToken);
            if (session.Errors >= services.Options.MaxErrors && session.State != SmtpState.Closed)
            {
                Log.TooManyErrors(services.Logger, session.RemoteAddress, session.Errors);
                session.Connection.Reply(TooManyErrors);
                session.State = SmtpState.Closed;
            }
        }
    }

    private static ValueTask<(SmtpCommand? Command, SmtpSyntaxError? Error)> ReadCommandAsync(SmtpSession session, CancellationToken cancellationToken) =>
        session.Connection.ReadCommandAsync(
            (ref SequenceReader<byte> reader, ref LineState state, out (SmtpCommand?, SmtpSyntaxError?) parsed) =>
            {
                var found = SmtpCommandParser.TryParse(ref reader, session.Options.ParserLimits, ref state, out var command, out var error);
                parsed = (command, error);
                return found;
            },
            session.Options.Timeouts.Command, cancellationToken);

    private static ValueTask DispatchAsync(SmtpSession session, SmtpCommand command, CancellationToken cancellationToken) => command switch
    {
        Ehlo ehlo => EhloCommand.HandleAsync(session, ehlo),
        Helo helo => EhloCommand.HandleAsync(session, helo),
        MailFrom mail => MailFromCommand.HandleAsync(session, mail, cancellationToken),
        RcptTo rcpt => RcptToCommand.HandleAsync(session, rcpt, cancellationToken),
        Data => DataCommand.HandleAsync(session, cancellationToken),
        Bdat bdat => BdatCommand.HandleAsync(session, bdat, cancellationToken),
        StartTls => StartTlsCommand.HandleAsync(session, cancellationToken),
        Auth auth => AuthCommand.HandleAsync(session, auth, cancellationToken),
        Rset => RsetCommand.HandleAsync(session),
        Noop => NoopCommand.Handle(session),
        Vrfy => VrfyCommand.Handle(session),
        Help => HelpCommand.Handle(session),
        Quit => QuitCommand.Handle(session),
        _ => throw new InvalidOperationException($"no handler for {command.GetType().Name}"),
    };

    // The client may already be gone; the 421 is a courtesy.
    private static async Task TrySayAsync(LineConnection connection, SmtpReply reply, CancellationToken cancellationToken)
    {
        try
        {
            connection.Reply(reply);
            await connection.FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or OperationCanceledException or InvalidOperationException)
        {
        }
    }
}
