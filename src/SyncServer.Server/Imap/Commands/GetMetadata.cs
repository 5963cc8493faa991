using SyncServer.Core.Store;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>
/// GETMETADATA (RFC 5464 §4.2) with DEPTH (0, 1, infinity below each entry asked for) and MAXSIZE (larger values are
/// left out and reported with <c>[METADATA LONGENTRIES n]</c>). An entry without a value is left out (MailKit 4.18 cannot read NIL there); none at all: no METADATA response.
/// </summary>
public static class GetMetadataCommand
{
    public static async Task HandleAsync(ImapSession session, GetMetadata command, CancellationToken cancellationToken)
    {
        if (command.Entries.FirstOrDefault(e => !MailboxMetadata.IsValidName(e)) is { } invalid)
        {
            session.Bad(command.Tag, $"Invalid entry name {invalid}");
            return;
        }
        Mailbox? mailbox = null;
        if (command.Mailbox.Length > 0
            && (session.MailboxName(command.Tag, command.Mailbox) is not { } name || (mailbox = await session.FindMailboxAsync(command.Tag, name, cancellationToken)) is null))
            return;
        var stored = await MailboxMetadata.ReadAsync(session, mailbox, cancellationToken);
        var found = new List<(string Name, ImapValue Value)>();
        ulong longest = 0;
        foreach (var asked in command.Entries.Select(e => e.ToLowerInvariant()).Distinct())
        {
            foreach (var entry in stored.Where(e => Matches(asked, e.Name, command.Depth)).Where(e => found.All(f => f.Name != e.Name)))
            {
                if (command.MaxSize is { } max && (ulong)entry.Value.Length > max)
                    longest = Math.Max(longest, (ulong)entry.Value.Length);
                else
                    found.Add((entry.Name, Value(entry)));
            }
        }
        if (found.Count > 0)
        {
            var list = found.SelectMany(f => new[] { new ImapAtom(f.Name), f.Value }).ToList();
            session.Write(new ImapUntaggedDataResponse("METADATA", [ImapValue.NString(mailbox is null ? "" : session.WireName(mailbox.Path)), ImapValue.List(list)]));
        }
        await session.OkAsync(command.Tag, "GETMETADATA completed", longest > 0 ? ImapResponseCode.LongEntries(longest) : null);
    }

    private static bool Matches(string asked, string name, MetadataDepth depth)
    {
        if (name == asked)
            return true;
        if (depth == MetadataDepth.Zero || !name.StartsWith(asked + "/", StringComparison.Ordinal))
            return false;
        return depth == MetadataDepth.Infinity || !name[(asked.Length + 1)..].Contains('/');
    }

    // Only a value with NUL needs a literal8 (RFC 5464 §5); 8-bit text goes as a plain literal.
    private static ImapValue Value(MetadataEntry entry) => new ImapString(entry.Value, Binary: entry.Value.Span.Contains((byte)0));
}
