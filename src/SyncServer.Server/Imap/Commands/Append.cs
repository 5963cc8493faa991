using SyncServer.Core.Mail;
using SyncServer.Core.Model;
using SyncServer.Protocols.Imap;
using SyncServer.Server.Imap.Messages;

namespace SyncServer.Server.Imap.Commands;

/// <summary>
/// APPEND (RFC 9051 §6.3.12) with APPENDUID (RFC 4315 §3): the exact bytes go to the blob store. The target needs
/// the <c>i</c> right (RFC 4314 §4) and room in its owner's quota (RFC 9208 §5.1, NO [OVERQUOTA]).
/// </summary>
public static class AppendCommand
{
    public static async Task HandleAsync(ImapSession session, Append command, CancellationToken cancellationToken)
    {
        if (session.MailboxName(command.Tag, command.Mailbox) is not { } name)
            return;
        var tree = await session.LoadMailboxesAsync(cancellationToken);
        if (tree.Find(name) is not { } mailbox)
        {
            session.No(command.Tag, "No such mailbox", ImapResponseCode.TryCreate);
            return;
        }
        var bytes = command.Message.ToArray();
        if (!session.Allowed(command.Tag, mailbox, GrantRights.Insert)
            || !await MailboxQuota.FitsAsync(session, command.Tag, mailbox.Owner, bytes.Length, cancellationToken))
            return;
        var (flags, keywords) = MessageFlags.Parse(command.Flags);
        var index = MessageStructureParser.BuildIndex(new MemoryStream(bytes, writable: false), flags, keywords);
        var (blob, size) = await session.Services.Blobs.WriteAsync(new MemoryStream(bytes, writable: false), cancellationToken);
        var internalDate = command.InternalDate ?? session.Services.Time.GetUtcNow();
        Item item;
        await using (var transaction = await session.Services.Store.BeginAsync(mailbox.Owner, cancellationToken))
        {
            item = await transaction.AddItemAsync(mailbox.Collection.Id, new NewItem(blob, size, internalDate, Mail: index), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        await session.OkAsync(command.Tag, "APPEND completed", ImapResponseCode.AppendUid(mailbox.Collection.UidValidity.Value, item.ImapUid.Value));
    }
}
