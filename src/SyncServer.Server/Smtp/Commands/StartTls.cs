namespace SyncServer.Server.Smtp.Commands;

/// <summary>
/// STARTTLS (RFC 3207): 220, then the TLS handshake over the same connection; afterwards the session starts over.
/// Bytes the client pipelined after STARTTLS are refused and the connection closed: they were sent in clear text,
/// and executing them after the handshake is the command-injection attack of CVE-2011-0411.
/// </summary>
internal static class StartTlsCommand
{
    public static async ValueTask HandleAsync(SmtpSession session, CancellationToken cancellationToken)
    {
        if (session.Connection.IsTls)
        {
            session.Reply(SessionReplies.TlsActive);
            return;
        }
        if (session.Connection.HasPipelinedInput)
        {
            Log.StartTlsInjection(session.Services.Logger, session.RemoteAddress);
            session.Reply(SessionReplies.InjectionAfterStartTls);
            session.State = SmtpState.Closed;
            return;
        }
        session.Reply(Protocols.Smtp.SmtpReplies.ReadyToStartTls);
        await session.Connection.StartTlsAsync(session.Services.Certificate.Certificate, session.Options.Timeouts.Command, cancellationToken);
        await session.RestartAfterTlsAsync();
    }
}
