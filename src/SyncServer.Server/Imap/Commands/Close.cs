using SyncServer.Core.Model;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>CLOSE (RFC 9051 §6.4.1: expunges silently when read-write) and UNSELECT (RFC 3691: does not).</summary>
public static class CloseCommand
{
    public static async Task HandleAsync(ImapSession session, Close command, CancellationToken cancellationToken)
    {
        var view = session.Selected!;
        if (!view.ReadOnly && view.Mailbox.Has(GrantRights.Expunge))
            await ExpungeCommand.ExpungeAsync(session, view, uids: null, cancellationToken);
        session.LeaveSelected();
        await session.OkAsync(command.Tag, "CLOSE completed");
    }

    public static Task HandleUnselectAsync(ImapSession session, Unselect command)
    {
        session.LeaveSelected();
        return session.OkAsync(command.Tag, "UNSELECT completed");
    }
}
