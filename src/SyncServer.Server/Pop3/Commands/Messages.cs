using SyncServer.Core.Model;

namespace SyncServer.Server.Pop3.Commands;

/// <summary>Looking up a message number given by the client, for the commands that take one.</summary>
internal static class Messages
{
    /// <summary>The message; null (and <c>-ERR</c> written) when there is none or it is marked as deleted.</summary>
    public static Item? Find(Pop3Session session, int number)
    {
        var item = session.Maildrop.Get(number);
        if (item is null)
            session.Err($"No message {number}");
        return item;
    }
}
