using System.Text;
using MailKit;
using MailKit.Net.Imap;

namespace SyncServer.Server.Tests.Shared;

/// <summary>
/// What the account holds, as IMAP shows it: every mailbox with its UIDNEXT and each message's UID, size and flags,
/// read with EXAMINE so taking it changes nothing. Two snapshots are equal when the store did not change.
/// </summary>
public static class StoreSnapshot
{
    public static async Task<string> TakeAsync(MailServer server)
    {
        using var client = await server.ConnectAsync();
        return await TakeAsync(client);
    }

    /// <summary>The same snapshot over an already authenticated IMAP connection.</summary>
    public static async Task<string> TakeAsync(ImapClient client)
    {
        var text = new StringBuilder();
        var folders = await client.GetFoldersAsync(client.PersonalNamespaces[0]);
        foreach (var folder in folders.OrderBy(f => f.FullName, StringComparer.Ordinal))
        {
            await folder.OpenAsync(FolderAccess.ReadOnly);
            text.Append(folder.FullName).Append(" uidnext ").Append(folder.UidNext).AppendLine();
            if (folder.Count > 0)
                foreach (var message in await folder.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.Size))
                    text.Append("  ").Append(message.UniqueId).Append(' ').Append(message.Size).Append(' ').Append(message.Flags).AppendLine();
            await folder.CloseAsync();
        }
        return text.ToString();
    }
}
