using SyncServer.Core.Model;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>
/// SETMETADATA (RFC 5464 §4.3): sets or (with NIL) removes entries in one transaction, or none of them:
/// a value over <see cref="MailboxMetadata.MaxValueSize"/> is <c>NO [METADATA MAXSIZE n]</c>, more than
/// <see cref="MailboxMetadata.MaxEntries"/> per holder is <c>NO [METADATA TOOMANY]</c>, a missing right NO [NOPERM].
/// </summary>
public static class SetMetadataCommand
{
    public static async Task HandleAsync(ImapSession session, SetMetadata command, CancellationToken cancellationToken)
    {
        if (command.Entries.FirstOrDefault(e => !MailboxMetadata.IsValidName(e.Key)) is { Key: { } invalid })
        {
            session.Bad(command.Tag, $"Invalid entry name {invalid}");
            return;
        }
        Mailbox? mailbox = null;
        if (command.Mailbox.Length > 0
            && (session.MailboxName(command.Tag, command.Mailbox) is not { } name || (mailbox = await session.FindMailboxAsync(command.Tag, name, cancellationToken)) is null))
            return;
        var entries = command.Entries.Select(e => new KeyValuePair<string, byte[]?>(e.Key.ToLowerInvariant(), e.Value)).ToList();
        if (Refusal(session, command.Tag, mailbox, entries))
            return;
        foreach (var holder in entries.GroupBy(e => MailboxMetadata.IsPrivate(e.Key) ? session.AccountId : mailbox!.Owner))
        {
            var existing = (await session.Services.MailboxSettings.ListMetadataAsync(holder.Key, mailbox?.Collection.Id, cancellationToken)).Select(e => e.Name).ToHashSet();
            var after = existing.Union(holder.Where(e => e.Value is not null).Select(e => e.Key)).Except(holder.Where(e => e.Value is null).Select(e => e.Key));
            if (after.Count() > MailboxMetadata.MaxEntries)
            {
                session.No(command.Tag, "Too many entries", ImapResponseCode.MetadataTooMany);
                return;
            }
        }
        foreach (var holder in entries.GroupBy(e => MailboxMetadata.IsPrivate(e.Key) ? session.AccountId : mailbox!.Owner))
            await session.Services.MailboxSettings.SetMetadataAsync(holder.Key, mailbox?.Collection.Id, [.. holder], cancellationToken);
        await session.OkAsync(command.Tag, "SETMETADATA completed");
    }

    /// <summary>Whether any entry may not be set; the refusal is written.</summary>
    private static bool Refusal(ImapSession session, string tag, Mailbox? mailbox, IReadOnlyList<KeyValuePair<string, byte[]?>> entries)
    {
        if (entries.Max(e => e.Value?.Length ?? 0) is var largest && largest > MailboxMetadata.MaxValueSize)
        {
            session.No(tag, "Value too large", ImapResponseCode.MetadataMaxSize(MailboxMetadata.MaxValueSize));
            return true;
        }
        if (entries.Any(e => e.Key == MailboxMetadata.SpecialUse))
        {
            session.No(tag, "/private/specialuse follows the mailbox's special use; use CREATE (USE …)", ImapResponseCode.CannotDo);
            return true;
        }
        if (mailbox is null && entries.Any(e => !MailboxMetadata.IsPrivate(e.Key)))
        {
            session.No(tag, "Server-wide shared entries are the administrator's", ImapResponseCode.NoPerm);
            return true;
        }
        var needed = entries.Aggregate(GrantRights.None, (r, e) => r | MailboxMetadata.Needs(e.Key, write: true));
        return mailbox is not null && !session.Allowed(tag, mailbox, needed);
    }
}
