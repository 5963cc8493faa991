using SyncServer.Core.Model;
using SyncServer.Protocols.Imap;
using SyncServer.Server.Imap.Messages;

namespace SyncServer.Server.Imap.Commands;

/// <summary>
/// SEARCH and UID SEARCH (RFC 9051 §6.4.4) with ESEARCH results (RFC 4731; always under IMAP4rev2) and SEARCHRES
/// (RFC 5182: RETURN (SAVE) keeps the result for "$").
/// </summary>
public static class SearchCommand
{
    private static readonly string[] Charsets = ["UTF-8", "US-ASCII"];

    public static async Task HandleAsync(ImapSession session, Search command, CancellationToken cancellationToken)
    {
        var view = session.Selected!;
        var save = command.Return?.HasFlag(SearchReturn.Save) == true;
        if (!IsSupported(session, command.Tag, command.Charset))
        {
            // A failed SEARCH with SAVE empties the saved result (RFC 5182 §2.1).
            if (save)
                view.Save([]);
            return;
        }
        var matches = (await MatchAsync(session, view, command.Criteria, cancellationToken))
            .Select(m => (Number: command.Uid ? m.Item.ImapUid.Value : m.SequenceNumber, ModSeq: (ulong)m.Item.ModSeq.Value, m.Item))
            .ToList();
        // With a MODSEQ key the answer carries the highest mod-sequence of the matches (RFC 7162 §3.1.5).
        var modSeq = UsesModSeq(command.Criteria) && matches.Count > 0 ? matches.Max(m => m.ModSeq) : (ulong?)null;
        if (modSeq is not null)
            session.CondStore = true;
        var numbers = matches.Select(m => m.Number).ToList();
        if (save)
            view.Save(Saved(command.Return!.Value, matches.Select(m => m.Item).ToList()));
        if (command.Return is null && !session.IsEnabled("IMAP4rev2"))
            session.Write(new ImapSearchResponse(numbers, modSeq));
        else if (command.Return != SearchReturn.Save)
            session.Write(ESearch(command, numbers, modSeq));
        await session.OkAsync(command.Tag, "SEARCH completed");
    }

    /// <summary>Whether the charset is one the server searches in; if not, NO [BADCHARSET] is written (RFC 9051 §6.4.4).</summary>
    public static bool IsSupported(ImapSession session, string tag, string? charset)
    {
        if (charset is null || Charsets.Contains(charset, StringComparer.OrdinalIgnoreCase))
            return true;
        session.No(tag, "Unsupported charset", ImapResponseCode.BadCharset(Charsets));
        return false;
    }

    /// <summary>The messages of the view that match the criteria, in sequence order (SEARCH, SORT and THREAD).</summary>
    public static async Task<List<(uint SequenceNumber, Item Item)>> MatchAsync(ImapSession session, MailboxView view, ImapSearchKey criteria, CancellationToken cancellationToken)
    {
        var evaluator = new SearchEvaluator(session, view);
        var matches = new List<(uint, Item)>();
        foreach (var (sequenceNumber, item) in view.Messages.Select((m, i) => ((uint)i + 1, m)).ToList())
        {
            if (await evaluator.MatchesAsync(criteria, sequenceNumber, item, cancellationToken))
                matches.Add((sequenceNumber, item));
        }
        return matches;
    }

    /// <summary>With MIN and/or MAX but neither ALL nor COUNT, only those messages are saved (RFC 5182 §2.4).</summary>
    private static IEnumerable<Item> Saved(SearchReturn wanted, List<Item> matches)
    {
        if (matches.Count == 0 || wanted.HasFlag(SearchReturn.All) || wanted.HasFlag(SearchReturn.Count) || !(wanted.HasFlag(SearchReturn.Min) || wanted.HasFlag(SearchReturn.Max)))
            return matches;
        var saved = new List<Item>();
        if (wanted.HasFlag(SearchReturn.Min))
            saved.Add(matches[0]);
        if (wanted.HasFlag(SearchReturn.Max))
            saved.Add(matches[^1]);
        return saved;
    }

    private static ImapESearchResponse ESearch(Search command, List<uint> numbers, ulong? modSeq)
    {
        var wanted = command.Return is null or SearchReturn.None ? SearchReturn.All : command.Return.Value;
        var any = numbers.Count > 0;
        return new ImapESearchResponse(command.Tag, command.Uid,
            Min: wanted.HasFlag(SearchReturn.Min) && any ? numbers.Min() : null,
            Max: wanted.HasFlag(SearchReturn.Max) && any ? numbers.Max() : null,
            Count: wanted.HasFlag(SearchReturn.Count) ? (uint)numbers.Count : null,
            All: wanted.HasFlag(SearchReturn.All) && any ? ImapSequenceSet.FromNumbers(numbers) : null,
            HighestModSeq: modSeq);
    }

    private static bool UsesModSeq(ImapSearchKey key) => Any(key, k => k is SearchModSeq);

    private static bool Any(ImapSearchKey key, Func<ImapSearchKey, bool> test) => test(key) || key switch
    {
        SearchNot not => Any(not.Key, test),
        SearchOr or => Any(or.Left, test) || Any(or.Right, test),
        SearchAnd and => and.Keys.Any(k => Any(k, test)),
        _ => false,
    };
}
