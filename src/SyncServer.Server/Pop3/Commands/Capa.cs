namespace SyncServer.Server.Pop3.Commands;

/// <summary>CAPA (RFC 2449 §5): what the server offers in the current state and over the current channel.</summary>
internal static class CapaCommand
{
    public static Task Handle(Pop3Session session)
    {
        session.Ok("Capability list follows");
        foreach (var capability in new[] { "TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING" })
            session.Line(capability);
        if (session.State == Pop3State.Authorization)
        {
            // Passwords only over TLS (RFC 2595 §4, RFC 8314): before STLS neither USER nor a mechanism is offered.
            if (session.Connection.IsTls)
            {
                session.Line("USER");
                session.Line("SASL PLAIN");
            }
            else
                session.Line("STLS");
        }
        // No version: it only helps an attacker pick an exploit.
        session.Line("IMPLEMENTATION SyncServer");
        session.End();
        return Task.CompletedTask;
    }
}
