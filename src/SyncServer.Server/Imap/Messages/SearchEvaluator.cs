using MimeKit;
using SyncServer.Core.Model;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Messages;

/// <summary>
/// Decides which messages of a view match search keys (RFC 9051 §6.4.4). Flags, dates, sizes and sets come from
/// the index; headers from the index where it keeps them (Subject, From, To), else from the stored header; BODY
/// and TEXT by reading the message's decoded text parts. Substring matches are case-insensitive.
/// </summary>
public sealed class SearchEvaluator(ImapSession session, MailboxView view)
{
    public async Task<bool> MatchesAsync(ImapSearchKey key, uint sequenceNumber, Item item, CancellationToken cancellationToken)
    {
        var message = new Candidate(sequenceNumber, item);
        return await MatchesAsync(key, message, cancellationToken);
    }

    private async Task<bool> MatchesAsync(ImapSearchKey key, Candidate message, CancellationToken cancellationToken) => key switch
    {
        SearchAll => true,
        SearchFlag flag => MessageFlags.Names(message.Item.Mail).Contains(flag.Flag, StringComparer.OrdinalIgnoreCase) == flag.IsSet,
        SearchSize size => size.Larger ? (ulong)message.Item.Size > size.Size : (ulong)message.Item.Size < size.Size,
        SearchDate date => Compare(date, message.Item),
        SearchModSeq modSeq => (ulong)message.Item.ModSeq.Value >= modSeq.ModSeq,
        SearchSet { Set.IsSavedResult: true } => view.IsSaved(message.Item.ImapUid),
        SearchSet { Uid: true } set => set.Set.Contains(message.Item.ImapUid.Value, view.Messages[^1].ImapUid.Value),
        SearchSet set => set.Set.Contains(message.SequenceNumber, view.Count),
        SearchHeader header => Contains(await HeaderAsync(message, header.Field, cancellationToken), header.Value),
        SearchText text => await TextContainsAsync(message, text, cancellationToken),
        SearchNot not => !await MatchesAsync(not.Key, message, cancellationToken),
        SearchOr or => await MatchesAsync(or.Left, message, cancellationToken) || await MatchesAsync(or.Right, message, cancellationToken),
        SearchAnd and => await AllAsync(and.Keys, message, cancellationToken),
        _ => false,
    };

    private async Task<bool> AllAsync(IReadOnlyList<ImapSearchKey> keys, Candidate message, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            if (!await MatchesAsync(key, message, cancellationToken))
                return false;
        }
        return true;
    }

    private static bool Compare(SearchDate date, Item item)
    {
        var when = date.Field == SearchDateField.Internal ? item.InternalDate : item.Mail?.SentDate;
        if (when is null)
            return false;
        var day = DateOnly.FromDateTime(when.Value.UtcDateTime);
        return date.Comparison switch
        {
            SearchDateComparison.Before => day < date.Date,
            SearchDateComparison.On => day == date.Date,
            _ => day >= date.Date,
        };
    }

    // An empty search string matches every message that has the field (RFC 9051 §6.4.4 HEADER).
    private static bool Contains(IEnumerable<string> values, string value) =>
        values.Any(v => v.Contains(value, StringComparison.OrdinalIgnoreCase));

    private async Task<IEnumerable<string>> HeaderAsync(Candidate message, string field, CancellationToken cancellationToken)
    {
        var indexed = field.ToUpperInvariant() switch
        {
            "SUBJECT" => message.Item.Mail?.Subject,
            "FROM" => message.Item.Mail?.From,
            "TO" => message.Item.Mail?.To,
            _ => null,
        };
        if (indexed is not null)
            return [indexed];
        var parsed = await message.ParseAsync(session, cancellationToken);
        return parsed.Headers.Where(h => h.Field.Equals(field, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);
    }

    private async Task<bool> TextContainsAsync(Candidate message, SearchText text, CancellationToken cancellationToken)
    {
        var parsed = await message.ParseAsync(session, cancellationToken);
        if (text.IncludeHeader && Contains(parsed.Headers.Select(h => h.Value), text.Value))
            return true;
        return Contains(parsed.BodyParts.OfType<TextPart>().Select(p => p.Text ?? ""), text.Value);
    }

    /// <summary>One message under test; its bytes are read and parsed at most once, and only when a key needs them.</summary>
    private sealed class Candidate(uint sequenceNumber, Item item)
    {
        private MimeMessage? _parsed;

        public uint SequenceNumber => sequenceNumber;

        public Item Item => item;

        public async Task<MimeMessage> ParseAsync(ImapSession session, CancellationToken cancellationToken)
        {
            if (_parsed is null)
            {
                await using var content = await MessageContent.LoadAsync(session.Services.Blobs, item, cancellationToken);
                _parsed = await content.ParseAsync(cancellationToken);
            }
            return _parsed;
        }
    }
}
