using SyncServer.Core.Changes;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap;

/// <summary>
/// A session's view of its selected mailbox: the messages in UID order, so sequence number n is index n-1.
/// It changes only when the session says so to the client (EXISTS, EXPUNGE), which keeps sequence numbers
/// consistent (RFC 9051 §2.3.1.2) while other sessions and protocols change the mailbox underneath.
/// </summary>
public sealed class MailboxView
{
    private const int PageSize = 1000;

    private readonly List<Item> _messages;
    // Expunged elsewhere but not yet reported: they keep their sequence numbers until an EXPUNGE may be sent.
    private readonly HashSet<ImapUid> _pendingExpunges = [];
    // SEARCHRES (RFC 5182 §2.1): the messages of the last SEARCH RETURN (SAVE). It lives and dies with the view, so
    // SELECT, EXAMINE, CLOSE and UNSELECT reset it; expunged messages drop out because their UIDs resolve to nothing.
    private readonly HashSet<ImapUid> _saved = [];
    private ModSeq _syncedTo;

    private MailboxView(Mailbox mailbox, bool readOnly, List<Item> messages, ModSeq syncedTo)
    {
        Mailbox = mailbox;
        ReadOnly = readOnly;
        _messages = messages;
        _syncedTo = syncedTo;
    }

    public Mailbox Mailbox { get; }

    public Collection Collection => Mailbox.Collection;

    public bool ReadOnly { get; }

    public IReadOnlyList<Item> Messages => _messages;

    public uint Count => (uint)_messages.Count;

    public bool HasPendingExpunges => _pendingExpunges.Count > 0;

    /// <summary>The highest modseq the view reflects (HIGHESTMODSEQ of SELECT).</summary>
    public ModSeq HighestModSeq => _syncedTo;

    public static async Task<MailboxView> OpenAsync(IStore store, Mailbox mailbox, bool readOnly, CancellationToken cancellationToken)
    {
        // The collection's modseq is read before its items: a change racing the listing is then seen again by the
        // first sync, which applies it idempotently, instead of being missed.
        var collection = await store.GetCollectionAsync(mailbox.Collection.Id, cancellationToken)
            ?? throw new StoreNotFoundException($"collection {mailbox.Collection.Id} is gone");
        var messages = new List<Item>();
        IReadOnlyList<Item> page;
        do
        {
            page = await store.ListItemsAsync(collection.Id, messages.Count > 0 ? messages[^1].ImapUid : new ImapUid(0), PageSize, cancellationToken);
            messages.AddRange(page);
        }
        while (page.Count == PageSize);
        return new MailboxView(mailbox with { Collection = collection }, readOnly, messages, collection.HighestModSeq);
    }

    public uint SequenceNumberOf(Item item) => (uint)IndexOf(item.ImapUid) + 1;

    /// <summary>Replaces the saved search result ("$").</summary>
    public void Save(IEnumerable<Item> messages)
    {
        _saved.Clear();
        _saved.UnionWith(messages.Select(m => m.ImapUid));
    }

    public bool IsSaved(ImapUid uid) => _saved.Contains(uid);

    /// <summary>
    /// The messages a sequence set names, by sequence number or UID, in ascending order, each once; "$" names the
    /// saved search result whether or not the command is a UID one (RFC 5182 §2.1).
    /// </summary>
    public IReadOnlyList<(uint SequenceNumber, Item Item)> Resolve(ImapSequenceSet set, bool uid)
    {
        var result = new List<(uint, Item)>();
        if (set.IsSavedResult)
            return [.. _messages.Select((m, i) => ((uint)i + 1, m)).Where(m => _saved.Contains(m.m.ImapUid))];
        if (_messages.Count == 0)
            return result;
        var largest = uid ? _messages[^1].ImapUid.Value : Count;
        var ranges = set.Resolve(largest).ToList();
        for (var i = 0; i < _messages.Count; i++)
        {
            var number = uid ? _messages[i].ImapUid.Value : (uint)i + 1;
            if (ranges.Any(r => number >= r.First && number <= r.Last))
                result.Add(((uint)i + 1, _messages[i]));
        }
        return result;
    }

    /// <summary>Takes in a change this session made itself, so the next sync does not report it back.</summary>
    public void Update(Item item)
    {
        var index = IndexOf(item.ImapUid);
        if (index >= 0 && item.ModSeq > _messages[index].ModSeq)
            _messages[index] = item;
    }

    /// <summary>Removes a message this session expunged or moved; returns the sequence number it had.</summary>
    public uint Remove(ImapUid uid)
    {
        var index = IndexOf(uid);
        _messages.RemoveAt(index);
        _pendingExpunges.Remove(uid);
        return (uint)index + 1;
    }

    /// <summary>
    /// Reads the change log since the last sync and returns the untagged responses that bring the client up to
    /// date: EXPUNGE (or held back), EXISTS, and FETCH FLAGS for messages changed elsewhere.
    /// </summary>
    public async Task<IReadOnlyList<ImapResponse>> SyncAsync(IStore store, bool allowExpunge, ImapSession session, CancellationToken cancellationToken)
    {
        var changed = new HashSet<ImapUid>();
        var added = false;
        ChangeSet changes;
        do
        {
            changes = await store.GetChangesAsync(Collection.Id, _syncedTo, PageSize, cancellationToken);
            if (changes.IsTruncated)
            {
                // The log was pruned past where this view stands: deletions may be gone from it, so compare with
                // the whole mailbox instead.
                added = await ResyncAsync(store, changed, cancellationToken);
                break;
            }
            foreach (var change in changes.Changes)
                added |= Apply(change, changed);
            _syncedTo = changes.NextModSeq > _syncedTo ? changes.NextModSeq : _syncedTo;
        }
        while (changes.HasMore);

        var responses = new List<ImapResponse>();
        if (allowExpunge)
            responses.AddRange(session.Removed(RemovePendingExpunges()));
        if (added)
            responses.Add(new ImapExistsResponse(Count));
        foreach (var uid in changed.Where(u => IndexOf(u) >= 0))
        {
            var item = _messages[IndexOf(uid)];
            responses.Add(FetchResponses.FlagsUpdate(SequenceNumberOf(item), item, session));
        }
        return responses;
    }

    /// <summary>
    /// Brings the view up to date from a full listing: messages gone from the store become pending expunges, the
    /// others are applied as changes. True when it adds a message.
    /// </summary>
    private async Task<bool> ResyncAsync(IStore store, HashSet<ImapUid> changed, CancellationToken cancellationToken)
    {
        var current = await OpenAsync(store, Mailbox, ReadOnly, cancellationToken);
        var present = current._messages.Select(m => m.ImapUid).ToHashSet();
        foreach (var gone in _messages.Where(m => !present.Contains(m.ImapUid)))
            _pendingExpunges.Add(gone.ImapUid);
        var added = false;
        foreach (var item in current._messages)
            added |= Apply(new ItemChange(ItemChangeKind.Updated, item.Id, item.ImapUid, item.ResourceName, item.ModSeq, item), changed);
        _syncedTo = current._syncedTo > _syncedTo ? current._syncedTo : _syncedTo;
        return added;
    }

    /// <summary>Applies one change; true when it adds a message.</summary>
    private bool Apply(ItemChange change, HashSet<ImapUid> changed)
    {
        var index = IndexOf(change.ImapUid);
        if (change.Kind == ItemChangeKind.Deleted || change.Item is null || change.Item.CollectionId != Collection.Id)
        {
            if (index >= 0)
                _pendingExpunges.Add(change.ImapUid);
            return false;
        }
        if (index >= 0)
        {
            if (change.Item.ModSeq > _messages[index].ModSeq)
            {
                _messages[index] = change.Item;
                changed.Add(change.ImapUid);
            }
            return false;
        }
        // New messages only ever get UIDs above the existing ones, so the view stays in UID order.
        if (_messages.Count > 0 && change.ImapUid.CompareTo(_messages[^1].ImapUid) < 0)
            return false;
        _messages.Add(change.Item);
        return true;
    }

    // Highest sequence number first, so each EXPUNGE leaves the numbers of the ones still to come unchanged.
    private List<(uint SequenceNumber, ImapUid Uid)> RemovePendingExpunges()
    {
        var removed = new List<(uint, ImapUid)>();
        foreach (var index in _pendingExpunges.Select(IndexOf).Where(i => i >= 0).OrderDescending().ToList())
        {
            removed.Add(((uint)index + 1, _messages[index].ImapUid));
            _messages.RemoveAt(index);
        }
        _pendingExpunges.Clear();
        return removed;
    }

    /// <summary>
    /// QRESYNC (RFC 7162 §3.2.5.2, §3.2.6): the UIDs among <paramref name="within"/> (all when null) expunged after
    /// <paramref name="since"/>, from the change log's tombstones; null when there are none. When the log was pruned
    /// past <paramref name="since"/>, every UID below UIDNEXT that is not in the mailbox is reported instead, as
    /// RFC 7162 §3.2.6 allows a server that does not remember when each message was expunged.
    /// </summary>
    public async Task<ImapSequenceSet?> VanishedSinceAsync(IStore store, ModSeq since, ImapSequenceSet? within, CancellationToken cancellationToken)
    {
        var highest = Math.Max(Collection.NextUid.Value - 1, _messages.Count > 0 ? _messages[^1].ImapUid.Value : 0);
        List<(uint First, uint Last)> ranges = within switch
        {
            null => highest > 0 ? [(1, highest)] : [],
            { IsSavedResult: true } => [.. _saved.Select(u => (u.Value, u.Value))],
            _ => [.. within.Resolve(highest)],
        };
        var vanished = new List<uint>();
        var from = since;
        ChangeSet changes;
        do
        {
            changes = await store.GetChangesAsync(Collection.Id, from, PageSize, cancellationToken);
            if (changes.IsTruncated)
                return Absent(ranges, highest);
            vanished.AddRange(changes.Changes
                .Where(c => c.Kind == ItemChangeKind.Deleted || c.Item is null || c.Item.CollectionId != Collection.Id)
                .Select(c => c.ImapUid.Value)
                .Where(uid => ranges.Any(r => uid >= r.First && uid <= r.Last)));
            from = changes.NextModSeq > from ? changes.NextModSeq : from;
        }
        while (changes.HasMore);
        return vanished.Count == 0 ? null : ImapSequenceSet.FromNumbers(vanished);
    }

    private ImapSequenceSet? Absent(List<(uint First, uint Last)> ranges, uint highest)
    {
        var absent = new List<uint>();
        foreach (var (first, last) in ranges)
        {
            for (ulong uid = first; uid <= Math.Min(last, highest); uid++)
            {
                if (IndexOf(new ImapUid((uint)uid)) < 0)
                    absent.Add((uint)uid);
            }
        }
        return absent.Count == 0 ? null : ImapSequenceSet.FromNumbers(absent);
    }

    private int IndexOf(ImapUid uid)
    {
        var low = 0;
        var high = _messages.Count - 1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            var compare = _messages[middle].ImapUid.CompareTo(uid);
            if (compare == 0)
                return middle;
            if (compare < 0)
                low = middle + 1;
            else
                high = middle - 1;
        }
        return -1;
    }
}
