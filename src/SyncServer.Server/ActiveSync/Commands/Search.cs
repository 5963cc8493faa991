using System.Globalization;
using System.Xml.Linq;
using MimeKit;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.ActiveSync.Wbxml;
using SyncServer.Server.ActiveSync.Mapping;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// Search (MS-ASCMD 2.2.1.16; client-requirements EAS-SR-01). Mailbox: the <see cref="MailboxQuery"/> over the named
/// folders (with their subfolders under DeepTraversal) or every mail folder, FreeText matched case-insensitively in
/// subject, sender, recipients and body (a scan, no full-text index), newest first, each result an Email record with
/// the client's BodyPreference and a LongId (<c>collection:item</c>). GAL: the enabled accounts of the user's domain
/// whose name, a word of it, or address starts with the query. Both page with Range (default 0-99) and answer Total,
/// also when nothing matched (Android needs both). Store status 2 malformed or unknown store, 8 too complex.
/// </summary>
public sealed class Search(IStore store, IBlobStore blobs, IDirectoryStore directory) : IActiveSyncCommand
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.Search;
    private static readonly XNamespace AirSync = ActiveSyncNamespaces.AirSync;
    private static readonly XNamespace Base = ActiveSyncNamespaces.AirSyncBase;
    private static readonly XNamespace Gal = ActiveSyncNamespaces.Gal;
    private const int Success = 1, InvalidRequest = 2, TooComplex = 8;
    private const int DefaultRangeEnd = 99, MaxRangeSize = 1000;

    public string Name => "Search";

    public XName Root => Ns + "Search";

    public async Task<ActiveSyncResponse> HandleAsync(ActiveSyncRequest request, CancellationToken cancellationToken)
    {
        if (request.Body?.Element(Ns + "Store") is not { } asked)
            return new ActiveSyncResponse(new XElement(Root, new XElement(Ns + "Status", InvalidRequest)));
        var options = asked.Element(Ns + "Options");
        var answer = TryRange((string?)options?.Element(Ns + "Range"), out var first, out var last)
            ? ((string?)asked.Element(Ns + "Name"))?.ToUpperInvariant() switch
            {
                "MAILBOX" => await MailboxAsync(request, asked.Element(Ns + "Query"), options, first, last, cancellationToken),
                "GAL" => await GalAsync(request.Account, (string?)asked.Element(Ns + "Query"), first, last, cancellationToken),
                _ => StoreStatus(InvalidRequest),
            }
            : StoreStatus(InvalidRequest);
        return new ActiveSyncResponse(new XElement(Root, new XElement(Ns + "Status", Success), new XElement(Ns + "Response", answer)));
    }

    private async Task<XElement> MailboxAsync(ActiveSyncRequest request, XElement? queryElement, XElement? options, int first, int last,
        CancellationToken cancellationToken)
    {
        var outcome = MailboxQuery.TryParse(queryElement, out var query);
        if (outcome != MailboxQuery.Outcome.Ok)
            return StoreStatus(outcome == MailboxQuery.Outcome.TooComplex ? TooComplex : InvalidRequest);
        var collections = await store.ListCollectionsAsync(request.Account.Id, cancellationToken);
        var folders = collections.Where(FolderTypes.IsServed).ToList();
        if (query.CollectionIds.Count > 0)
        {
            var named = query.CollectionIds.Select(id => UserFolders.Find(collections, id)).OfType<Collection>().ToList();
            var below = options?.Element(Ns + "DeepTraversal") is null ? [] : named.SelectMany(f => UserFolders.Subtree(collections, f.Id)).ToHashSet();
            folders = folders.Where(f => named.Contains(f) || below.Contains(f.Id)).ToList();
        }
        if (query.Classes.Any(c => !c.Equals("Email", StringComparison.OrdinalIgnoreCase)))
            folders = [];

        var matches = new List<Item>();
        foreach (var folder in folders)
            matches.AddRange(await MatchesAsync(folder, query, cancellationToken));
        matches.Sort((a, b) => b.InternalDate.CompareTo(a.InternalDate));
        var preference = PreferenceOf(options);
        var results = new List<XElement>();
        foreach (var item in matches.Skip(first).Take(last - first + 1))
            results.Add(new XElement(Ns + "Result",
                new XElement(AirSync + "Class", "Email"),
                new XElement(Ns + "LongId", ItemServerId.Format(item.CollectionId, item.Id)),
                new XElement(AirSync + "CollectionId", item.CollectionId.Value),
                await EmailContent.ApplicationDataAsync(Ns + "Properties", item, store, blobs, preference, request.Version, cancellationToken)));
        return Answer(results, first, matches.Count);
    }

    private async Task<List<Item>> MatchesAsync(Collection folder, MailboxQuery query, CancellationToken cancellationToken)
    {
        var found = new List<Item>();
        var after = new ImapUid(0);
        while (true)
        {
            var page = await store.ListItemsAsync(folder.Id, after, 500, cancellationToken);
            foreach (var item in page)
            {
                if ((query.ReceivedAfter is { } from && item.InternalDate <= from) || (query.ReceivedBefore is { } to && item.InternalDate >= to))
                    continue;
                if (query.FreeText.Count == 0 || await ContainsAllAsync(item, query.FreeText, cancellationToken))
                    found.Add(item);
            }
            if (page.Count < 500)
                return found;
            after = page[^1].ImapUid;
        }
    }

    /// <summary>Every FreeText term appears in the indexed subject/sender/recipients, or else in the text of the body.</summary>
    private async Task<bool> ContainsAllAsync(Item item, IReadOnlyList<string> terms, CancellationToken cancellationToken)
    {
        var indexed = $"{item.Mail?.Subject}\n{item.Mail?.From}\n{item.Mail?.To}";
        var missing = terms.Where(t => !indexed.Contains(t.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
        if (missing.Count == 0)
            return true;
        var message = (await StoredMessage.LoadAsync(item, blobs, cancellationToken)).Message;
        var body = message.TextBody ?? message.HtmlBody ?? "";
        return missing.All(t => body.Contains(t.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    private async Task<XElement> GalAsync(Account account, string? query, int first, int last, CancellationToken cancellationToken)
    {
        var term = query?.Trim() ?? "";
        if (term.Length == 0)
            return StoreStatus(InvalidRequest);
        bool Matches(Account a) => a.Address.StartsWith(term, StringComparison.OrdinalIgnoreCase)
            || a.DisplayName.StartsWith(term, StringComparison.OrdinalIgnoreCase)
            || a.DisplayName.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(w => w.StartsWith(term, StringComparison.OrdinalIgnoreCase));
        var found = (await directory.ListAccountsAsync(account.Domain, cancellationToken))
            .Where(a => a.Enabled && Matches(a))
            .OrderBy(a => a.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.Address, StringComparer.Ordinal)
            .ToList();
        var results = found.Skip(first).Take(last - first + 1).Select(a =>
        {
            var words = a.DisplayName.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            return new XElement(Ns + "Result", new XElement(Ns + "Properties",
                new XElement(Gal + "DisplayName", a.DisplayName.Length > 0 ? a.DisplayName : a.Address),
                words.Length == 2 ? new XElement(Gal + "FirstName", words[0]) : null,
                words.Length == 2 ? new XElement(Gal + "LastName", words[1]) : null,
                new XElement(Gal + "Alias", a.Address[..a.Address.IndexOf('@')]),
                new XElement(Gal + "EmailAddress", a.Address)));
        }).ToList();
        return Answer(results, first, found.Count);
    }

    /// <summary>The Store answer: results, the range they cover and the total; an empty Result when none (2.2.3.155).</summary>
    private static XElement Answer(List<XElement> results, int first, int total)
        => new(Ns + "Store",
            new XElement(Ns + "Status", Success),
            results.Count > 0 ? results : [new XElement(Ns + "Result")],
            new XElement(Ns + "Range", string.Create(CultureInfo.InvariantCulture, $"{first}-{first + Math.Max(results.Count, 1) - 1}")),
            new XElement(Ns + "Total", total));

    private static XElement StoreStatus(int status) => new(Ns + "Store", new XElement(Ns + "Status", status));

    /// <summary>Range "m-n" (0-based, inclusive); absent means 0-99.</summary>
    private static bool TryRange(string? range, out int first, out int last)
    {
        (first, last) = (0, DefaultRangeEnd);
        if (range is null)
            return true;
        var dash = range.IndexOf('-');
        return dash > 0
            && int.TryParse(range.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out first)
            && int.TryParse(range.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out last)
            && last >= first && last - first < MaxRangeSize;
    }

    /// <summary>The client's first BodyPreference; without one, plain text cut at 1 KiB (a result list wants previews).</summary>
    private static BodyPreference PreferenceOf(XElement? options)
        => options?.Elements(Base + "BodyPreference").FirstOrDefault() is { } preference
            ? BodyPreferences.Read(preference)
            : BodyPreference.Default with { TruncationSize = 1024 };
}
