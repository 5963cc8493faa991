using SyncServer.Core.Model;

namespace SyncServer.Server.Pop3.Commands;

/// <summary>What LIST and UIDL share: "n value" for one message on the +OK line, or a multi-line list of all.</summary>
internal static class Listing
{
    public static void Write(Pop3Session session, int? number, Func<Item, string> value)
    {
        if (number is { } n)
        {
            if (Messages.Find(session, n) is { } item)
                session.Ok($"{n} {value(item)}");
            return;
        }
        session.Ok($"{session.Maildrop.Count} messages");
        foreach (var (each, item) in session.Maildrop.Listing())
            session.Line($"{each} {value(item)}");
        session.End();
    }
}
