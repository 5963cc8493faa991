using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>CAPABILITY (RFC 9051 §6.1.1).</summary>
public static class CapabilityCommand
{
    public static Task HandleAsync(ImapSession session, Capability command)
    {
        session.Write(new ImapCapabilityResponse(ImapCapabilities.For(session)));
        return session.OkAsync(command.Tag, "CAPABILITY completed");
    }
}
