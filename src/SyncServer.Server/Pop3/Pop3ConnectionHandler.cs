using System.Buffers;
using System.Net;
using System.Security.Authentication;
using Microsoft.AspNetCore.Connections;
using SyncServer.Protocols.Common;
using SyncServer.Protocols.Pop3;
using SyncServer.Server.Pop3.Commands;
using SyncServer.Server.Shared;

namespace SyncServer.Server.Pop3;

/// <summary>
/// The POP3 server side (RFC 1939) for the <c>Listeners:Pop3</c> (STLS) and <c>Listeners:Pop3s</c> (implicit TLS)
/// ports: greets, reads one command at a time with the pure parser from Protocols, checks the command is valid in
/// the session's state and hands it to its handler in <c>Commands/</c>.
/// </summary>
public sealed partial class Pop3ConnectionHandler(Pop3Services services) : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext context)
    {
        var remote = (context.RemoteEndPoint as IPEndPoint)?.Address;
        var cancellationToken = context.ConnectionClosed;
        await using var connection = new LineConnection(context, services.Time);
        var session = new Pop3Session(connection, remote, services);
        try
        {
            // No product name or version: it only helps an attacker pick an exploit.
            session.Ok("POP3 server ready");
            await RunAsync(session, cancellationToken);
            await connection.FlushAsync(cancellationToken);
        }
        catch (TimeoutException)
        {
            // RFC 1939 §3: the autologout timer closes the connection without entering UPDATE, so marks are dropped.
            AutoLoggedOut(services.Logger, remote);
        }
        catch (OperationCanceledException) when (services.Lifetime.ApplicationStopping.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // POP3 has no unsolicited response: the connection is closed without UPDATE, so marks are dropped.
            ClosedAtShutdown(services.Logger, remote);
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or OperationCanceledException or AuthenticationException)
        {
            ConnectionLost(services.Logger, remote, e.GetType().Name);
        }
    }

    private async Task RunAsync(Pop3Session session, CancellationToken cancellationToken)
    {
        // Server shutdown ends the wait for the next command; a command already running completes.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, services.Lifetime.ApplicationStopping);
        while (session.State != Pop3State.Closed)
        {
            var (command, error) = await session.Connection.ReadCommandAsync<(Pop3Command?, Pop3SyntaxError?)>(Parse, services.Options.AutologoutTimeout, reading.Token);
            if (command is null && error is null)
                return; // the client closed the connection: no UPDATE state, nothing is deleted
            if (error is not null)
                session.Err(error.Message);
            else if (!IsAllowed(session, command!))
                session.Err(session.State == Pop3State.Authorization ? "Log in first" : "Command not valid in this state");
            else
                await DispatchAsync(session, command!, cancellationToken);
        }
    }

    private bool Parse(ref SequenceReader<byte> reader, ref LineState state, out (Pop3Command?, Pop3SyntaxError?) parsed)
    {
        var found = Pop3CommandParser.TryParse(ref reader, services.Options.Limits, ref state, out var command, out var error);
        parsed = (command, error);
        return found;
    }

    /// <summary>Which state each command needs (RFC 1939 §4–7; CAPA in both, RFC 2449 §5).</summary>
    private static bool IsAllowed(Pop3Session session, Pop3Command command) => command switch
    {
        Capa or Quit => true,
        Stls or User or Pass or Auth => session.State == Pop3State.Authorization,
        _ => session.State == Pop3State.Transaction,
    };

    private static Task DispatchAsync(Pop3Session session, Pop3Command command, CancellationToken cancellationToken) => command switch
    {
        Capa => CapaCommand.Handle(session),
        Stls => StlsCommand.HandleAsync(session, cancellationToken),
        User c => UserCommand.Handle(session, c),
        Pass c => PassCommand.HandleAsync(session, c, cancellationToken),
        Auth c => AuthCommand.HandleAsync(session, c, cancellationToken),
        Stat => StatCommand.Handle(session),
        List c => ListCommand.Handle(session, c),
        Uidl c => UidlCommand.Handle(session, c),
        Retr c => RetrCommand.HandleAsync(session, c, cancellationToken),
        Top c => TopCommand.HandleAsync(session, c, cancellationToken),
        Dele c => DeleCommand.Handle(session, c),
        Rset => RsetCommand.Handle(session),
        Noop => NoopCommand.Handle(session),
        Quit => QuitCommand.HandleAsync(session, cancellationToken),
        _ => throw new InvalidOperationException($"no handler for {command.GetType().Name}"),
    };

    [LoggerMessage(5001, LogLevel.Debug, "POP3 connection from {Remote} ended: {Reason}")]
    private static partial void ConnectionLost(ILogger logger, IPAddress? remote, string reason);

    [LoggerMessage(5002, LogLevel.Debug, "POP3 session from {Remote} autologged out")]
    private static partial void AutoLoggedOut(ILogger logger, IPAddress? remote);

    [LoggerMessage(5200, LogLevel.Debug, "POP3 session from {Remote} closed at server shutdown")]
    private static partial void ClosedAtShutdown(ILogger logger, IPAddress? remote);
}
