using SyncServer.Protocols.Imap;
using SyncServer.Server.Imap.Messages;

namespace SyncServer.Server.Imap.Commands;

/// <summary>
/// THREAD and UID THREAD (RFC 5256 §3) with ORDEREDSUBJECT and REFERENCES over the messages the search criteria
/// match. Named ThreadsCommand because <see cref="ThreadCommand"/> is the parsed command.
/// </summary>
public static class ThreadsCommand
{
    public static async Task HandleAsync(ImapSession session, ThreadCommand command, CancellationToken cancellationToken)
    {
        if (command.Algorithm is not ("ORDEREDSUBJECT" or "REFERENCES"))
        {
            session.Bad(command.Tag, "Unknown threading algorithm");
            return;
        }
        if (!SearchCommand.IsSupported(session, command.Tag, command.Charset))
            return;
        var messages = new List<Message>();
        foreach (var (sequenceNumber, item) in await SearchCommand.MatchAsync(session, session.Selected!, command.Search, cancellationToken))
            messages.Add(new Message(command.Uid ? item.ImapUid.Value : sequenceNumber, sequenceNumber, await SortKeys.LoadAsync(session, item, cancellationToken)));
        var threads = command.Algorithm == "REFERENCES"
            ? await ReferencesAsync(session, messages, cancellationToken)
            : OrderedSubject(messages);
        session.Write(new ImapThreadResponse([.. Sorted(threads).Select(Response)]));
        await session.OkAsync(command.Tag, "THREAD completed");
    }

    private sealed record Message(uint Number, uint SequenceNumber, SortKeys Keys);

    /// <summary>A message, or a dummy (no message) standing for a referenced message that is not here.</summary>
    private sealed class Node(Message? message = null)
    {
        public Message? Message { get; set; } = message;

        public Node? Parent { get; set; }

        public List<Node> Children { get; set; } = [];

        public void Add(Node child)
        {
            child.Parent = this;
            Children.Add(child);
        }

        public void Detach()
        {
            Parent?.Children.Remove(this);
            Parent = null;
        }

        public bool IsAncestorOf(Node node)
        {
            for (var at = node.Parent; at is not null; at = at.Parent)
            {
                if (at == this)
                    return true;
            }
            return false;
        }

        public bool IsReply => Message?.Keys.IsReplyOrForward == true;

        /// <summary>The thread's subject: its message's, or its first child's for a dummy.</summary>
        public string Subject => (Message ?? Children.FirstOrDefault()?.Message)?.Keys.BaseSubjectText ?? "";
    }

    // ORDEREDSUBJECT: one thread per base subject; the earliest message is the parent of all the others.
    private static List<Node> OrderedSubject(List<Message> messages) =>
        [.. messages.GroupBy(m => m.Keys.BaseSubjectText.ToUpperInvariant()).Select(group =>
        {
            var ordered = group.OrderBy(m => m.Keys.SentDate).ThenBy(m => m.SequenceNumber).ToList();
            var root = new Node(ordered[0]);
            foreach (var reply in ordered.Skip(1))
                root.Add(new Node(reply));
            return root;
        })];

    // REFERENCES (RFC 5256 §3, steps 1–5; step 6, the sort, is Sorted).
    private static async Task<List<Node>> ReferencesAsync(ImapSession session, List<Message> messages, CancellationToken cancellationToken)
    {
        var byId = new Dictionary<string, Node>(StringComparer.Ordinal);
        var all = new List<Node>();
        Node Container(string id)
        {
            if (!byId.TryGetValue(id, out var node))
            {
                byId[id] = node = new Node();
                all.Add(node);
            }
            return node;
        }
        foreach (var message in messages)
        {
            var (messageId, references) = await message.Keys.ThreadingAsync(session, cancellationToken);
            // 1: a missing or duplicate Message-ID gets a container of its own.
            Node node;
            if (messageId is not null && byId.TryGetValue(messageId, out var known) && known.Message is null)
                node = known;
            else
            {
                node = new Node();
                all.Add(node);
                if (messageId is not null && !byId.ContainsKey(messageId))
                    byId[messageId] = node;
            }
            node.Message = message;
            // 1A: link the references in order, without replacing links or making loops.
            Node? previous = null;
            foreach (var reference in references)
            {
                var container = Container(reference);
                if (previous is not null && container != previous && container.Parent is null && !container.IsAncestorOf(previous))
                    previous.Add(container);
                previous = container;
            }
            // 1B: the last reference is the parent, whatever linked the message before.
            node.Detach();
            if (previous is not null && previous != node && !node.IsAncestorOf(previous))
                previous.Add(node);
        }
        // 2–4: the roots, with dummies pruned.
        var roots = Prune([.. all.Where(n => n.Parent is null)], atRoot: true);
        // 5: threads whose base subjects are equal are merged.
        var table = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var root in roots)
        {
            var subject = root.Subject.ToUpperInvariant();
            if (subject.Length == 0)
                continue;
            if (!table.TryGetValue(subject, out var current)
                || current.Message is not null && root.Message is null
                || current.IsReply && !root.IsReply && root.Message is not null && current.Message is not null)
                table[subject] = root;
        }
        var result = new List<Node>(roots);
        foreach (var root in roots)
        {
            var subject = root.Subject.ToUpperInvariant();
            if (subject.Length == 0 || table[subject] is not { } kept || kept == root)
                continue;
            result.Remove(root);
            if (kept.Message is null && root.Message is null)
            {
                foreach (var child in root.Children.ToList())
                    kept.Add(child);
            }
            else if (kept.Message is null || root.IsReply && !kept.IsReply)
                kept.Add(root);
            else
            {
                var dummy = new Node();
                result[result.IndexOf(kept)] = dummy;
                dummy.Add(kept);
                dummy.Add(root);
                table[subject] = dummy;
            }
        }
        return result;
    }

    // 4: a dummy without children goes; one with children gives them to its parent, except at the root when it has
    // several (they are siblings with the missing message as parent).
    private static List<Node> Prune(List<Node> siblings, bool atRoot)
    {
        var kept = new List<Node>();
        foreach (var node in siblings)
        {
            node.Children = Prune(node.Children, atRoot: false);
            if (node.Message is null && (node.Children.Count == 0 || !atRoot || node.Children.Count == 1))
            {
                foreach (var child in node.Children)
                    child.Parent = atRoot ? null : node.Parent;
                kept.AddRange(node.Children);
                continue;
            }
            kept.Add(node);
        }
        return kept;
    }

    // 6 (and ORDEREDSUBJECT's thread order): siblings by sent date, a dummy by its first child's; ties in mailbox order.
    private static List<Node> Sorted(List<Node> nodes)
    {
        foreach (var node in nodes)
            node.Children = Sorted(node.Children);
        return [.. nodes.OrderBy(First, Comparer<Message>.Create((a, b) =>
        {
            var order = a.Keys.SentDate.CompareTo(b.Keys.SentDate);
            return order != 0 ? order : a.SequenceNumber.CompareTo(b.SequenceNumber);
        }))];
    }

    private static Message First(Node node) => node.Message ?? First(node.Children[0]);

    private static ImapThreadNode Response(Node node) => new(node.Message?.Number, [.. node.Children.Select(Response)]);
}
