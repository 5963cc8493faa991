using System.Text;
using System.Text.RegularExpressions;
using SyncServer.Core.Model;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Commands;

/// <summary>
/// LIST (RFC 9051 §6.3.9) with LIST-EXTENDED (RFC 5258: selection options SUBSCRIBED, REMOTE, RECURSIVEMATCH,
/// SPECIAL-USE; return options SUBSCRIBED, CHILDREN, SPECIAL-USE; several patterns; CHILDINFO), LIST-STATUS
/// (RFC 5819), SPECIAL-USE (RFC 6154) and CHILDREN (RFC 3348); and LSUB, over the account's stored subscriptions.
/// There are no remote mailboxes, so REMOTE changes nothing.
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
        var criteria = command.Selection & (ListSelection.Subscribed | ListSelection.SpecialUse);
        var subscribed = criteria.HasFlag(ListSelection.Subscribed) || command.Return.HasFlag(ListReturn.Subscribed)
            ? await SubscribeCommand.ListAsync(session, cancellationToken)
            : [];
        var matches = Matcher(session, command.Reference, command.Patterns);
        var tree = await session.LoadMailboxesAsync(cancellationToken);
        // Levels of the other users' namespace above what the user may see (RFC 2342 §5).
        if (command.Selection == ListSelection.None)
        {
            foreach (var level in tree.Placeholders.Where(matches))
                session.Write(new ImapListResponse(["\\Noselect", "\\HasChildren"], MailboxTree.Delimiter, session.WireName(level)));
        }
        bool Satisfies(Mailbox mailbox) =>
            (!criteria.HasFlag(ListSelection.Subscribed) || subscribed.Contains(mailbox.Path))
            && (!criteria.HasFlag(ListSelection.SpecialUse) || SpecialUse(mailbox.Collection.Role) is not null);
        foreach (var mailbox in tree.All.Where(m => matches(m.Path)))
        {
            var satisfies = Satisfies(mailbox);
            // RECURSIVEMATCH (RFC 5258 §3.5): a mailbox with a descendant meeting the criteria is listed with CHILDINFO.
            var childInfo = command.Selection.HasFlag(ListSelection.RecursiveMatch) && criteria != ListSelection.None
                && tree.All.Any(m => m.Path.StartsWith(mailbox.Path + MailboxTree.Delimiter, StringComparison.Ordinal) && Satisfies(m));
            if (!satisfies && !childInfo)
                continue;
            IReadOnlyList<ImapValue>? extended = childInfo
                ? [ImapValue.NString("CHILDINFO"), new ImapList([.. CriteriaNames(criteria).Select(ImapValue.NString)])]
                : null;
            session.Write(new ImapListResponse(Attributes(mailbox, subscribed.Contains(mailbox.Path)), MailboxTree.Delimiter,
                session.WireName(mailbox.Path), Extended: extended));
            if (satisfies && command.Return.HasFlag(ListReturn.Status) && mailbox.Has(GrantRights.Read))
                await StatusCommand.WriteStatusAsync(session, mailbox, command.StatusItems, cancellationToken);
        }
        // Subscribed names without a mailbox the user can see (RFC 5258 §3.1).
        if (criteria.HasFlag(ListSelection.Subscribed))
        {
            foreach (var name in subscribed.Where(n => tree.Find(n) is null && matches(n)))
                session.Write(new ImapListResponse(["\\NonExistent", "\\Subscribed"], MailboxTree.Delimiter, session.WireName(name)));
        }
        await session.OkAsync(command.Tag, "LIST completed");
    }

    /// <summary>LSUB (RFC 3501 §6.3.9): the subscribed names; one whose mailbox is gone or hidden is \Noselect.</summary>
    public static async Task HandleLsubAsync(ImapSession session, Lsub command, CancellationToken cancellationToken)
    {
        var matches = Matcher(session, command.Reference, [command.Pattern]);
        var tree = await session.LoadMailboxesAsync(cancellationToken);
        foreach (var name in (await SubscribeCommand.ListAsync(session, cancellationToken)).Where(matches).Order(StringComparer.Ordinal))
        {
            var attributes = tree.Find(name) is { } mailbox ? Attributes(mailbox, subscribed: false) : ["\\Noselect"];
            session.Write(new ImapListResponse(attributes, MailboxTree.Delimiter, session.WireName(name), Lsub: true));
        }
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

    /// <summary>Whether a decoded name matches any of the patterns under the reference (so each mailbox is listed once).</summary>
    private static Func<string, bool> Matcher(ImapSession session, string reference, IReadOnlyList<string> patterns)
    {
        var matchers = patterns
            .Select(p => ImapMailboxName.Decode(reference + p, session.Utf8))
            .OfType<string>()
            .Select(Pattern)
            .ToList();
        return name => matchers.Any(match => match.IsMatch(name));
    }

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
    private static Regex Pattern(string pattern)
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
