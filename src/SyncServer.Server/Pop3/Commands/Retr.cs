using SyncServer.Core.Store;
using SyncServer.Protocols.Pop3;

namespace SyncServer.Server.Pop3.Commands;

/// <summary>RETR (RFC 1939 §5): the message exactly as stored (header prefix and blob), dot-stuffed.</summary>
internal static class RetrCommand
{
    public static Task HandleAsync(Pop3Session session, Retr command, CancellationToken cancellationToken) =>
        SendAsync(session, command.Message, null, cancellationToken);

    /// <summary>The message, or with <paramref name="lines"/> only its header and that many body lines (TOP).</summary>
    public static async Task SendAsync(Pop3Session session, int number, int? lines, CancellationToken cancellationToken)
    {
        if (Messages.Find(session, number) is not { } item)
            return;
        byte[] bytes;
        try
        {
            await using var stream = await ItemContent.OpenAsync(item, session.Services.Blobs, cancellationToken);
            bytes = new byte[item.Size];
            await stream.ReadExactlyAsync(bytes, cancellationToken);
        }
        catch (StoreNotFoundException)
        {
            // Expunged by another session since this one's snapshot, and its blob already swept.
            session.Err($"Message {number} no longer exists");
            return;
        }
        session.Ok(lines is null ? $"{item.Size} octets" : "Top of message follows");
        session.Content(lines is { } n ? Pop3ResponseWriter.Top(bytes, n) : bytes);
        session.End();
    }
}
