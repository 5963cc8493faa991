using SyncServer.Protocols.Smtp;

namespace SyncServer.Server.Smtp.Commands;

/// <summary>RSET (RFC 5321 §4.1.1.5): abort the transaction; the greeting and authentication stay.</summary>
internal static class RsetCommand
{
    public static async ValueTask HandleAsync(SmtpSession session)
    {
        await session.ResetTransactionAsync();
        session.Reply(SmtpReplies.Ok);
    }
}
