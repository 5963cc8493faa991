using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>STARTTLS (RFC 9051 §6.2.1).</summary>
public static class StartTlsCommand
{
    public static async Task HandleAsync(ImapSession session, StartTls command, CancellationToken cancellationToken)
    {
        if (session.Connection.IsTls)
        {
            session.Bad(command.Tag, "TLS is already active");
            return;
        }
        if (session.Connection.HasBufferedInput())
        {
            // Commands pipelined behind STARTTLS arrived in the clear; running them after the handshake would let
            // a man in the middle inject them (CVE-2011-0411), so the connection ends instead.
            await session.ByeAsync("Commands sent after STARTTLS before the TLS handshake");
            return;
        }
        session.Write(new ImapStatusResponse(command.Tag, ImapStatus.Ok, null, "Begin TLS negotiation now"));
        await session.Connection.FlushAsync(cancellationToken);
        await session.Connection.StartTlsAsync(session.Services.Certificate.Certificate, cancellationToken);
    }
}
