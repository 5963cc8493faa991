namespace SyncServer.Server.Pop3.Commands;

/// <summary>
/// STLS (RFC 2595 §4): +OK, then the TLS handshake over the same connection. Bytes the client pipelined after STLS
/// were sent in clear text; running them after the handshake is the injection of CVE-2011-0411, so the session ends.
/// </summary>
internal static class StlsCommand
{
    public static async Task HandleAsync(Pop3Session session, CancellationToken cancellationToken)
    {
        if (session.Connection.IsTls)
        {
            session.Err("TLS is already active");
            return;
        }
        if (session.Connection.HasPipelinedInput)
        {
            session.Err("Commands sent after STLS before the TLS handshake");
            session.State = Pop3State.Closed;
            return;
        }
        session.Ok("Begin TLS negotiation");
        await session.Connection.StartTlsAsync(session.Services.Certificate.Certificate, session.Services.Options.HandshakeTimeout, cancellationToken);
        // RFC 2595 §4: a USER given before the handshake is forgotten.
        session.UserName = null;
    }
}
