using Microsoft.AspNetCore.Connections;

namespace SyncServer.Server.Imap;

/// <summary>Runs one <see cref="ImapSession"/> per accepted connection, on either IMAP listener.</summary>
public sealed partial class ImapConnectionHandler(ImapServices services, ILogger<ImapConnectionHandler> logger) : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        await using var imap = new ImapConnection(connection, services.Options.Limits);
        await using var session = new ImapSession(imap, services, connection.ConnectionClosed);
        try
        {
            await session.RunAsync();
        }
        // InvalidDataException: input after COMPRESS that is not DEFLATE.
        catch (Exception e) when (e is IOException or InvalidDataException or OperationCanceledException or ConnectionResetException or ConnectionAbortedException
            or System.Security.Authentication.AuthenticationException)
        {
            ConnectionEnded(logger, connection.ConnectionId, e.GetType().Name);
        }
    }

    [LoggerMessage(4001, LogLevel.Debug, "IMAP connection {ConnectionId} ended: {Reason}")]
    private static partial void ConnectionEnded(ILogger logger, string connectionId, string reason);
}
