using System.Text;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Server.Imap.Commands;

namespace SyncServer.Server.Imap;

/// <summary>
/// METADATA (RFC 5464) over <see cref="IMailboxSettingsStore"/>. Server entries ("" mailbox): <c>/private/…</c> are
/// the user's; server-wide <c>/shared/…</c> entries are the administrator's and none are set, so users get NOPERM
/// setting them. Mailbox entries: <c>/private/…</c> are held by the user (needs <c>l</c>), <c>/shared/…</c> by
/// the mailbox's owner (reading needs <c>r</c>, writing <c>w</c>; RFC 5464 §3.3). <c>/private/specialuse</c> is
/// the mailbox's SPECIAL-USE attribute (RFC 6154 §4), computed and read-only.
/// </summary>
public static class MailboxMetadata
{
    /// <summary>The largest value SETMETADATA takes (<c>[METADATA MAXSIZE n]</c> past it).</summary>
    public const int MaxValueSize = 64 * 1024;

    /// <summary>How many entries one holder keeps per mailbox or on the server (<c>[METADATA TOOMANY]</c> past it).</summary>
    public const int MaxEntries = 100;

    public const string SpecialUse = "/private/specialuse";

    /// <summary>Whether an entry name is well formed (RFC 5464 §3.2): under /private or /shared, no empty level, no wildcard.</summary>
    public static bool IsValidName(string name) =>
        (name.StartsWith("/private", StringComparison.OrdinalIgnoreCase) || name.StartsWith("/shared", StringComparison.OrdinalIgnoreCase))
        && name.Split('/').Skip(1).All(level => level.Length > 0)
        && name.All(c => c > ' ' && c < 0x7F && c is not ('*' or '%'));

    public static bool IsPrivate(string name) => name.StartsWith("/private", StringComparison.OrdinalIgnoreCase);

    /// <summary>The right an entry needs on a mailbox: l for private ones, r to read and w to write shared ones.</summary>
    public static GrantRights Needs(string name, bool write) =>
        IsPrivate(name) ? GrantRights.Lookup : write ? GrantRights.Write : GrantRights.Read;

    /// <summary>Every entry the user may read on a mailbox (null: the server), the computed ones included.</summary>
    public static async Task<IReadOnlyList<MetadataEntry>> ReadAsync(ImapSession session, Mailbox? mailbox, CancellationToken cancellationToken)
    {
        var store = session.Services.MailboxSettings;
        var entries = new List<MetadataEntry>();
        if (mailbox is null || mailbox.Has(GrantRights.Lookup))
            entries.AddRange((await store.ListMetadataAsync(session.AccountId, mailbox?.Collection.Id, cancellationToken)).Where(e => IsPrivate(e.Name)));
        if (mailbox is not null && mailbox.Has(GrantRights.Read))
            entries.AddRange((await store.ListMetadataAsync(mailbox.Owner, mailbox.Collection.Id, cancellationToken)).Where(e => !IsPrivate(e.Name)));
        if (mailbox is not null && mailbox.Has(GrantRights.Lookup) && ListCommand.SpecialUse(mailbox.Collection.Role) is { } use)
            entries.Add(new MetadataEntry(SpecialUse, Encoding.ASCII.GetBytes(use)));
        return [.. entries.OrderBy(e => e.Name, StringComparer.Ordinal)];
    }
}
