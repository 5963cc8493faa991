using System.Globalization;
using SyncServer.Core.Model;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Messages;

/// <summary>The data items of one message's FETCH response (RFC 9051 §7.5.2), in the order they were asked for.</summary>
public static class FetchItems
{
    /// <summary>Whether any attribute needs the message bytes or structure (the rest come from the index).</summary>
    public static bool NeedContent(IEnumerable<ImapFetchAttribute> attributes) => attributes.Any(a => a is FetchBodySection or FetchBinary or FetchBinarySize
        || a is FetchItem { Item: ImapFetchItem.Envelope or ImapFetchItem.BodyStructure or ImapFetchItem.Body or ImapFetchItem.Rfc822 or ImapFetchItem.Rfc822Header or ImapFetchItem.Rfc822Text });

    /// <summary>Whether reading these sets \Seen: BODY[…] and BINARY[…] without PEEK, RFC822 and RFC822.TEXT (§6.4.5).</summary>
    public static bool SetSeen(IEnumerable<ImapFetchAttribute> attributes) =>
        attributes.Any(a => a is FetchBodySection { Peek: false } or FetchBinary { Peek: false } or FetchItem { Item: ImapFetchItem.Rfc822 or ImapFetchItem.Rfc822Text });

    /// <summary>
    /// The items; the caller adds UID and MODSEQ where the command implies them, and has checked with
    /// <see cref="HasUnknownEncoding"/> that every BINARY part can be decoded. Sections are read from their stored
    /// ranges; large ones are <see cref="StreamedLiteral"/>s, read while the response is written.
    /// </summary>
    public static async Task<List<KeyValuePair<string, ImapValue>>> BuildAsync(
        Item item, MessageContent? content, IEnumerable<ImapFetchAttribute> attributes, CancellationToken cancellationToken)
    {
        var items = new List<KeyValuePair<string, ImapValue>>();
        foreach (var attribute in attributes)
        {
            items.Add(attribute switch
            {
                FetchBodySection section => new(BodySections.Name(section.Section, section.Partial),
                    await BodySections.ValueAsync(content!, section.Section, section.Partial, cancellationToken)),
                FetchBinary binary => new(BinarySections.Name(binary), await BinarySections.ValueAsync(content!, binary, cancellationToken)),
                FetchBinarySize size => new(BinarySections.SizeName(size), ImapValue.Number((ulong)await BinarySections.SizeAsync(content!, size.Part, cancellationToken))),
                FetchItem { Item: ImapFetchItem.Rfc822 or ImapFetchItem.Rfc822Header or ImapFetchItem.Rfc822Text } whole => new(Name(whole.Item),
                    await BodySections.ValueAsync(content!, Rfc822Section(whole.Item), null, cancellationToken)),
                FetchItem { Item: var what } => new(Name(what), Value(item, content, what)),
                _ => throw new InvalidOperationException($"{attribute} is refused before fetching"),
            });
        }
        return items;
    }

    /// <summary>Whether a BINARY item names a part whose content transfer encoding is unknown (RFC 3516 §4.3 [UNKNOWN-CTE]).</summary>
    public static bool HasUnknownEncoding(MessageContent content, IEnumerable<ImapFetchAttribute> attributes) => attributes.Any(a => a switch
    {
        FetchBinary binary => BinarySections.Find(content.Structure, binary.Part) is null,
        FetchBinarySize size => BinarySections.Find(content.Structure, size.Part) is null,
        _ => false,
    });

    public static string InternalDate(DateTimeOffset date) =>
        date.ToUniversalTime().ToString("dd-MMM-yyyy HH:mm:ss", CultureInfo.InvariantCulture) + " +0000";

    // RFC822, RFC822.HEADER and RFC822.TEXT are BODY[], BODY.PEEK[HEADER] and BODY[TEXT] under other names (§6.4.5).
    private static ImapSection Rfc822Section(ImapFetchItem item) => item switch
    {
        ImapFetchItem.Rfc822 => ImapSection.Whole,
        ImapFetchItem.Rfc822Header => ImapSection.Whole with { Text = ImapSectionText.Header },
        _ => ImapSection.Whole with { Text = ImapSectionText.Text },
    };

    private static string Name(ImapFetchItem item) => item switch
    {
        ImapFetchItem.InternalDate => "INTERNALDATE",
        ImapFetchItem.Rfc822 => "RFC822",
        ImapFetchItem.Rfc822Header => "RFC822.HEADER",
        ImapFetchItem.Rfc822Size => "RFC822.SIZE",
        ImapFetchItem.Rfc822Text => "RFC822.TEXT",
        ImapFetchItem.BodyStructure => "BODYSTRUCTURE",
        ImapFetchItem.ModSeq => "MODSEQ",
        _ => item.ToString().ToUpperInvariant(),
    };

    private static ImapValue Value(Item item, MessageContent? content, ImapFetchItem what) => what switch
    {
        ImapFetchItem.Flags => MessageFlags.Value(item.Mail),
        ImapFetchItem.Uid => ImapValue.Number(item.ImapUid.Value),
        ImapFetchItem.InternalDate => ImapValue.NString(InternalDate(item.InternalDate)),
        ImapFetchItem.Rfc822Size => ImapValue.Number((ulong)item.Size),
        ImapFetchItem.ModSeq => ImapValue.List(ImapValue.Number((ulong)item.ModSeq.Value)),
        ImapFetchItem.Envelope => BodyStructureValue.Envelope(content!.Structure.Envelope),
        ImapFetchItem.BodyStructure => BodyStructureValue.Body(content!.Structure.Body, extensions: true),
        _ => BodyStructureValue.Body(content!.Structure.Body, extensions: false),
    };
}
