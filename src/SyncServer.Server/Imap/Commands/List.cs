using System.Text;
using System.Text.RegularExpressions;
using SyncServer.Core.Model;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>
/// LIST (RFC 9051 §6.3.9 with the LIST-EXTENDED options, RFC 5258; SPECIAL-USE, RFC 6154; CHILDREN, RFC 3348) and
/// LSUB. Subscriptions have no place in the store yet, so every mailbox counts as subscribed.
/// </summary>
public static class ListCommand
{
    public static async Task HandleAsync(ImapSession session, List command, CancellationToken cancellationToken)
    {
        // LIST "" "" asks only for the hierarchy delimiter and the root (RFC 9051 §6.3.9).
        if (command.Patterns is [""])
        {
            session.Write(new ImapListResponse(["\\Noselect"], MailboxTree.Delimiter, ""));
            await session.OkAsync(command.Tag, "LIST completed");
            return;
        }
        var subscribed = command.Selection.HasFlag(ListSelection.Subscribed) || command.Return.HasFlag(ListReturn.Subscribed);
        foreach (var mailbox in await MatchAsync(session, command.Reference, command.Patterns, cancellationToken))
        {
            var attributes = Attributes(mailbox, subscribed);
            if (command.Selection.HasFlag(ListSelection.SpecialUse) && SpecialUse(mailbox.Collection.Role) is null)
                continue;
            session.Write(new ImapListResponse(attributes, MailboxTree.Delimiter, session.WireName(mailbox.Path)));
            if (command.Return.HasFlag(ListReturn.Status))
                await StatusCommand.WriteStatusAsync(session, mailbox, command.StatusItems, cancellationToken);
        }
        await session.OkAsync(command.Tag, "LIST completed");
    }

    public static async Task HandleLsubAsync(ImapSession session, Lsub command, CancellationToken cancellationToken)
    {
        foreach (var mailbox in await MatchAsync(session, command.Reference, [command.Pattern], cancellationToken))
            session.Write(new ImapListResponse(Attributes(mailbox, subscribed: false), MailboxTree.Delimiter, session.WireName(mailbox.Path), Lsub: true));
        await session.OkAsync(command.Tag, "LSUB completed");
    }

    /// <summary>The SPECIAL-USE attribute of a role (RFC 6154 §2), or null.</summary>
    public static string? SpecialUse(CollectionRole role) => role switch
    {
        CollectionRole.Drafts => "\\Drafts",
        CollectionRole.Sent => "\\Sent",
        CollectionRole.Trash => "\\Trash",
        CollectionRole.Junk => "\\Junk",
        CollectionRole.Archive => "\\Archive",
        _ => null,
    };

    private static async Task<IEnumerable<Mailbox>> MatchAsync(ImapSession session, string reference, IReadOnlyList<string> patterns, CancellationToken cancellationToken)
    {
        var tree = await MailboxTree.LoadAsync(session.Services.Store, session.AccountId, cancellationToken);
        var matchers = patterns
            .Select(p => ImapMailboxName.Decode(reference + p, session.Utf8))
            .OfType<string>()
            .Select(Matcher)
            .ToList();
        return tree.All.Where(m => matchers.Any(match => match.IsMatch(m.Path)));
    }

    private static List<string> Attributes(Mailbox mailbox, bool subscribed)
    {
        var attributes = new List<string> { mailbox.HasChildren ? "\\HasChildren" : "\\HasNoChildren" };
        if (SpecialUse(mailbox.Collection.Role) is { } use)
            attributes.Add(use);
        if (subscribed)
            attributes.Add("\\Subscribed");
        return attributes;
    }

    // "*" matches anything, "%" anything but the delimiter (RFC 9051 §6.3.9); INBOX matches in any case.
    private static Regex Matcher(string pattern)
    {
        var regex = new StringBuilder("^");
        foreach (var c in MailboxTree.Normalise(pattern))
            regex.Append(c switch
            {
                '*' => ".*",
                '%' => "[^" + Regex.Escape(MailboxTree.Delimiter.ToString()) + "]*",
                _ => Regex.Escape(c.ToString()),
            });
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
