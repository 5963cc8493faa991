using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>COMPRESS DEFLATE (RFC 4978): once the tagged OK is out, both directions are compressed.</summary>
public static class CompressCommand
{
    public static async Task HandleAsync(ImapSession session, Compress command, CancellationToken cancellationToken)
    {
        if (command.Mechanism != "DEFLATE")
        {
            session.Bad(command.Tag, "Unknown compression mechanism");
            return;
        }
        if (session.Connection.IsCompressed)
        {
            session.No(command.Tag, "Compression is already active", ImapResponseCode.CompressionActive);
            return;
        }
        if (session.Connection.HasUnparsedInput())
        {
            // The client must wait for the OK (RFC 4978 §3): what it sent before cannot be told apart from DEFLATE.
            await session.ByeAsync("Commands sent after COMPRESS before its response");
            return;
        }
        await session.OkAsync(command.Tag, "DEFLATE active");
        await session.Connection.FlushAsync(cancellationToken);
        session.Connection.StartCompression();
    }
}
