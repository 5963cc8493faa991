using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Utils;
using SyncServer.Core.Mail;
using SyncServer.Core.Model;

namespace SyncServer.Server.Imap.Messages;

/// <summary>
/// What SORT and THREAD (RFC 5256, RFC 5957) order and group by, from the message index and its stored envelope;
/// the References header, which neither keeps, is read from the stored header.
/// </summary>
public sealed partial class SortKeys
{
    private SortKeys(Item item, Envelope envelope) => (Item, Envelope) = (item, envelope);

    public Item Item { get; }

    public Envelope Envelope { get; }

    /// <summary>RFC 5256 §2.2: the Date header, or the internal date when there is none.</summary>
    public DateTimeOffset SentDate => Item.Mail?.SentDate ?? Item.InternalDate;

    public string BaseSubjectText => BaseSubject(Item.Mail?.Subject).Subject;

    /// <summary>Whether the subject had a reply or forward marker (RFC 5256 §2.1 and the REFERENCES algorithm step 5).</summary>
    public bool IsReplyOrForward => BaseSubject(Item.Mail?.Subject).IsReply;

    public static async Task<SortKeys> LoadAsync(ImapSession session, Item item, CancellationToken cancellationToken)
    {
        await using var content = await MessageContent.LoadAsync(session.Services.Blobs, item, cancellationToken);
        return new SortKeys(item, content.Structure.Envelope);
    }

    /// <summary>addr-mailbox of the first address (RFC 5256 §3 FROM, TO, CC); empty when there is none.</summary>
    public static string Mailbox(IReadOnlyList<EnvelopeAddress> addresses) =>
        addresses.FirstOrDefault(a => a.Host is not null)?.Mailbox ?? "";

    /// <summary>RFC 5957 §3: the decoded display name of the first address, else its addr-spec.</summary>
    public static string Display(IReadOnlyList<EnvelopeAddress> addresses)
    {
        if (addresses.FirstOrDefault(a => a.Host is not null) is not { } first)
            return "";
        if (!string.IsNullOrWhiteSpace(first.Name))
            return Rfc2047.DecodePhrase(Encoding.UTF8.GetBytes(first.Name)).Trim();
        return $"{first.Mailbox}@{first.Host}";
    }

    /// <summary>i;ascii-casemap (RFC 4790 §9.2), which SORT and THREAD compare strings with.</summary>
    public static int Compare(string a, string b) => string.Compare(a.ToUpperInvariant(), b.ToUpperInvariant(), StringComparison.Ordinal);

    /// <summary>
    /// Base subject extraction (RFC 5256 §2.1): whitespace collapsed, trailing "(fwd)", leading "Re:", "Fw:",
    /// "Fwd:" and "[blob]" removed until nothing changes, and a "[fwd: …]" wrapper unwrapped.
    /// </summary>
    public static (string Subject, bool IsReply) BaseSubject(string? subject)
    {
        var text = Whitespace().Replace(subject ?? "", " ").Trim();
        var isReply = false;
        while (true)
        {
            while (text.EndsWith("(fwd)", StringComparison.OrdinalIgnoreCase))
            {
                text = text[..^5].TrimEnd();
                isReply = true;
            }
            string before;
            do
            {
                before = text;
                var leader = Leader().Match(text);
                if (leader.Success)
                {
                    text = text[leader.Length..];
                    isReply = true;
                }
                var blob = Blob().Match(text);
                if (blob.Success && blob.Length < text.Length)
                    text = text[blob.Length..];
            }
            while (text != before);
            if (text.StartsWith("[fwd:", StringComparison.OrdinalIgnoreCase) && text.EndsWith(']'))
            {
                text = text[5..^1].Trim();
                isReply = true;
                continue;
            }
            return (text, isReply);
        }
    }

    /// <summary>Message-ID, and the parent candidates: References, else the first id of In-Reply-To.</summary>
    public async Task<(string? MessageId, IReadOnlyList<string> References)> ThreadingAsync(ImapSession session, CancellationToken cancellationToken)
    {
        await using var content = await MessageContent.LoadAsync(session.Services.Blobs, Item, cancellationToken);
        var header = await content.ReadAsync(content.Structure.Begin, content.Structure.HeadersEnd, cancellationToken);
        var headers = HeaderList.Load(new MemoryStream(header, writable: false), cancellationToken);
        var messageId = headers[HeaderId.MessageId] is { } id ? MimeUtils.EnumerateReferences(id).FirstOrDefault() : null;
        var references = headers[HeaderId.References] is { } refs ? MimeUtils.EnumerateReferences(refs).ToList() : [];
        if (references.Count == 0 && headers[HeaderId.InReplyTo] is { } inReplyTo && MimeUtils.EnumerateReferences(inReplyTo).FirstOrDefault() is { } parent)
            references.Add(parent);
        return (messageId, references);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    // subj-leader: *subj-blob ("re" / "fw" ["d"]) *WSP [subj-blob] ":" and the whitespace after it.
    [GeneratedRegex(@"^\s*(\[[^\[\]]*\]\s*)*(re|fwd?)\s*(\[[^\[\]]*\]\s*)?:\s*", RegexOptions.IgnoreCase)]
    private static partial Regex Leader();

    [GeneratedRegex(@"^\[[^\[\]]*\]\s*")]
    private static partial Regex Blob();
}
