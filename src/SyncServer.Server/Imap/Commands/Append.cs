using SyncServer.Core.Mail;
using SyncServer.Core.Model;
using SyncServer.Protocols.Imap;
using SyncServer.Server.Imap.Messages;

namespace SyncServer.Server.Imap.Commands;

/// <summary>
/// APPEND (RFC 9051 §6.3.12) with APPENDUID (RFC 4315 §3). The target needs the <c>i</c> right (RFC 4314 §4) and
/// room in its owner's quota for the announced size (RFC 9208 §5.1, NO [OVERQUOTA]); both are checked before the
/// message is read, so a refused synchronizing literal is never sent. The message then streams from the connection
/// into the blob store as it arrives (exact bytes, never whole in memory), and its index is built from the blob.
/// </summary>
public static class AppendCommand
{
    public static async Task HandleAsync(ImapSession session, Append command, CancellationToken cancellationToken)
    {
        if (await TargetAsync(session, command, cancellationToken) is not { } mailbox)
        {
            await session.Connection.SkipAppendMessageAsync(command, cancellationToken);
            return;
        }
        if (command.Synchronizing)
        {
            session.Write(new ImapContinuationResponse("Ready for literal data"));
            await session.Connection.FlushAsync(cancellationToken);
        }
        // The autologout timer of a command read covers the message too (RFC 9051 §5.4).
        using var timer = new CancellationTokenSource(session.Services.Options.AuthenticatedTimeout, session.Services.Time);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        (BlobId Id, long Size) blob;
        await using (var message = session.Connection.OpenAppendMessage())
            blob = await session.Services.Blobs.WriteAsync(message, reading.Token);
        // A message refused here (NUL in a literal, a second message) leaves a blob nothing references: the sweep removes it.
        if (await session.Connection.ReadAppendEndAsync(reading.Token) is { } error)
        {
            session.Write(error.ToResponse());
            return;
        }
        var (flags, keywords) = MessageFlags.Parse(command.Flags);
        MailIndex index;
        await using (var stored = session.Services.Blobs.OpenRead(blob.Id))
            index = MessageStructureParser.BuildIndex(stored, flags, keywords);
        var internalDate = command.InternalDate ?? session.Services.Time.GetUtcNow();
        Item item;
        await using (var transaction = await session.Services.Store.BeginAsync(mailbox.Owner, cancellationToken))
        {
            item = await transaction.AddItemAsync(mailbox.Collection.Id, new NewItem(blob.Id, blob.Size, internalDate, Mail: index), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        await session.OkAsync(command.Tag, "APPEND completed", ImapResponseCode.AppendUid(mailbox.Collection.UidValidity.Value, item.ImapUid.Value));
    }

    /// <summary>The mailbox the message goes to; null (and NO or BAD written) when it is refused.</summary>
    private static async Task<Mailbox?> TargetAsync(ImapSession session, Append command, CancellationToken cancellationToken)
    {
        if (session.MailboxName(command.Tag, command.Mailbox) is not { } name)
            return null;
        var tree = await session.LoadMailboxesAsync(cancellationToken);
        if (tree.Find(name) is not { } mailbox)
        {
            session.No(command.Tag, "No such mailbox", ImapResponseCode.TryCreate);
            return null;
        }
        return session.Allowed(command.Tag, mailbox, GrantRights.Insert)
            && await MailboxQuota.FitsAsync(session, command.Tag, mailbox.Owner, command.Size, cancellationToken)
            ? mailbox
            : null;
    }
}
