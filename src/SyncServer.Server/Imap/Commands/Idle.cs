using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>
/// IDLE (RFC 2177): untagged updates are sent as changes are committed, by this or any other protocol, until the
/// client sends DONE. The autologout timer applies to the wait as a whole.
/// </summary>
public static class IdleCommand
{
    public static async Task HandleAsync(ImapSession session, Idle command, CancellationToken cancellationToken)
    {
        session.Write(new ImapContinuationResponse("idling"));
        await session.SyncSelectedAsync(allowExpunge: true);
        await session.Connection.FlushAsync(cancellationToken);
        var line = await session.ReadAsync(async token => await WaitForDoneAsync(session, token));
        switch (line)
        {
            case null:
                return; // closed, or autologout already said BYE
            case { Text: { } text } when text.Equals("DONE", StringComparison.OrdinalIgnoreCase):
                await session.OkAsync(command.Tag, "IDLE terminated");
                break;
            default:
                session.Bad(command.Tag, "Expected DONE");
                break;
        }
    }

    private static async ValueTask<ImapLine?> WaitForDoneAsync(ImapSession session, CancellationToken cancellationToken)
    {
        // One read stays pending across notifications; a PipeReader allows only one at a time.
        var read = session.Connection.ReadLineAsync(cancellationToken).AsTask();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (true)
        {
            var change = session.WaitForChangeAsync(stop.Token);
            if (await Task.WhenAny(read, change) == read)
            {
                await stop.CancelAsync();
                return await read;
            }
            await change;
            await session.SyncSelectedAsync(allowExpunge: true);
            await session.Connection.FlushAsync(cancellationToken);
        }
    }
}
