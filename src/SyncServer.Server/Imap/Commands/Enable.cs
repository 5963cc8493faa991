using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>ENABLE (RFC 5161): reports only what it newly enabled among what the server can enable.</summary>
public static class EnableCommand
{
    public static Task HandleAsync(ImapSession session, Enable command)
    {
        var enabled = new List<string>();
        foreach (var requested in command.Capabilities)
        {
            var known = ImapCapabilities.Enableable.FirstOrDefault(c => c.Equals(requested, StringComparison.OrdinalIgnoreCase));
            if (known is null || session.IsEnabled(known))
                continue;
            session.Enable(known);
            enabled.Add(known);
            // QRESYNC implies CONDSTORE (RFC 7162 §3.2.3).
            if (known == "QRESYNC")
                session.Enable("CONDSTORE");
            if (known is "CONDSTORE" or "QRESYNC")
                session.CondStore = true;
        }
        session.Write(new ImapEnabledResponse(enabled));
        return session.OkAsync(command.Tag, "ENABLE completed");
    }
}
