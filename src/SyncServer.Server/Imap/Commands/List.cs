using System.Text;
using System.Text.RegularExpressions;
using SyncServer.Core.Model;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>
/// LIST (RFC 9051 §6.3.9) with LIST-EXTENDED (RFC 5258: selection options SUBSCRIBED, REMOTE, RECURSIVEMATCH,
/// SPECIAL-USE; return options SUBSCRIBED, CHILDREN, SPECIAL-USE; several patterns; CHILDINFO), LIST-STATUS
/// (RFC 5819), SPECIAL-USE (RFC 6154) and CHILDREN (RFC 3348); and LSUB. Subscriptions have no place in the store
/// yet, so every mailbox counts as subscribed; there are no remote mailboxes, so REMOTE changes nothing.
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
        var tree = await MailboxTree.LoadAsync(session.Services.Store, session.AccountId, cancellationToken);
        var criteria = command.Selection & (ListSelection.Subscribed | ListSelection.SpecialUse);
        var subscribed = command.Selection.HasFlag(ListSelection.Subscribed) || command.Return.HasFlag(ListReturn.Subscribed);
        foreach (var mailbox in Match(session, tree, command.Reference, command.Patterns))
        {
            var satisfies = Satisfies(mailbox, criteria);
            // RECURSIVEMATCH (RFC 5258 §3.5): a mailbox with a descendant meeting the criteria is listed with CHILDINFO.
            var childInfo = command.Selection.HasFlag(ListSelection.RecursiveMatch) && criteria != ListSelection.None
                && tree.All.Any(m => m.Path.StartsWith(mailbox.Path + MailboxTree.Delimiter, StringComparison.Ordinal) && Satisfies(m, criteria));
            if (!satisfies && !childInfo)
                continue;
            IReadOnlyList<ImapValue>? extended = childInfo
                ? [ImapValue.NString("CHILDINFO"), new ImapList([.. CriteriaNames(criteria).Select(ImapValue.NString)])]
                : null;
            session.Write(new ImapListResponse(Attributes(mailbox, subscribed), MailboxTree.Delimiter, session.WireName(mailbox.Path), Extended: extended));
            if (satisfies && command.Return.HasFlag(ListReturn.Status))
                await StatusCommand.WriteStatusAsync(session, mailbox, command.StatusItems, cancellationToken);
        }
        await session.OkAsync(command.Tag, "LIST completed");
    }

    public static async Task HandleLsubAsync(ImapSession session, Lsub command, CancellationToken cancellationToken)
    {
        var tree = await MailboxTree.LoadAsync(session.Services.Store, session.AccountId, cancellationToken);
        foreach (var mailbox in Match(session, tree, command.Reference, [command.Pattern]))
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

    /// <summary>The mailboxes any of the patterns match, each once, INBOX first then by name.</summary>
    private static IEnumerable<Mailbox> Match(ImapSession session, MailboxTree tree, string reference, IReadOnlyList<string> patterns)
    {
        var matchers = patterns
            .Select(p => ImapMailboxName.Decode(reference + p, session.Utf8))
            .OfType<string>()
            .Select(Matcher)
            .ToList();
        return tree.All.Where(m => matchers.Any(match => match.IsMatch(m.Path)));
    }

    private static bool Satisfies(Mailbox mailbox, ListSelection criteria) =>
        !criteria.HasFlag(ListSelection.SpecialUse) || SpecialUse(mailbox.Collection.Role) is not null;

    private static IEnumerable<string> CriteriaNames(ListSelection criteria)
    {
        if (criteria.HasFlag(ListSelection.Subscribed))
            yield return "SUBSCRIBED";
        if (criteria.HasFlag(ListSelection.SpecialUse))
            yield return "SPECIAL-USE";
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
