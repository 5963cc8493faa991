using System.Globalization;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Server.Pop3;

/// <summary>
/// The INBOX as one POP3 session sees it: a snapshot taken at login, so message numbers stay fixed for the session
/// (RFC 1939 §5), with the messages DELE marked. Nothing is removed from the store until QUIT.
/// </summary>
internal sealed class Maildrop
{
    private const int PageSize = 1000;

    private readonly List<Item> _messages;
    private readonly HashSet<int> _deleted = [];

    private Maildrop(List<Item> messages) => _messages = messages;

    /// <summary>Messages not marked as deleted.</summary>
    public int Count => _messages.Count - _deleted.Count;

    public long Size => Listing().Sum(m => m.Item.Size);

    public IEnumerable<Item> Deleted => _deleted.Select(n => _messages[n - 1]);

    public static async Task<Maildrop> OpenAsync(IStore store, AccountId account, CancellationToken cancellationToken)
    {
        var collections = await store.ListCollectionsAsync(account, cancellationToken);
        var messages = new List<Item>();
        if (collections.FirstOrDefault(c => c.Kind == CollectionKind.Mailbox && c.Role == CollectionRole.Inbox) is { } inbox)
        {
            IReadOnlyList<Item> page;
            do
            {
                page = await store.ListItemsAsync(inbox.Id, messages.Count > 0 ? messages[^1].ImapUid : new ImapUid(0), PageSize, cancellationToken);
                messages.AddRange(page);
            }
            while (page.Count == PageSize);
        }
        return new Maildrop(messages);
    }

    /// <summary>
    /// The unique-id listing string of RFC 1939 §7: the item id never changes and is never reused, so a client
    /// that keeps mail on the server sees the same UIDL in every session, whatever IMAP does to flags or UIDs.
    /// </summary>
    public static string UniqueId(Item item) => item.Id.Value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Message <paramref name="number"/>; null when there is none or it is marked as deleted.</summary>
    public Item? Get(int number) =>
        number <= _messages.Count && !_deleted.Contains(number) ? _messages[number - 1] : null;

    /// <summary>Every message not marked as deleted, with its number.</summary>
    public IEnumerable<(int Number, Item Item)> Listing() =>
        _messages.Select((item, i) => (i + 1, item)).Where(m => !_deleted.Contains(m.Item1));

    public void Delete(int number) => _deleted.Add(number);

    public void Reset() => _deleted.Clear();
}
