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

    /// <summary>Whether any attribute needs the bytes themselves, not only the structure.</summary>
    public static bool NeedBytes(IEnumerable<ImapFetchAttribute> attributes) => attributes.Any(a => a is FetchBodySection or FetchBinary or FetchBinarySize
        || a is FetchItem { Item: ImapFetchItem.Rfc822 or ImapFetchItem.Rfc822Header or ImapFetchItem.Rfc822Text });

    /// <summary>Whether reading these sets \Seen: BODY[…] and BINARY[…] without PEEK, RFC822 and RFC822.TEXT (§6.4.5).</summary>
    public static bool SetSeen(IEnumerable<ImapFetchAttribute> attributes) =>
        attributes.Any(a => a is FetchBodySection { Peek: false } or FetchBinary { Peek: false } or FetchItem { Item: ImapFetchItem.Rfc822 or ImapFetchItem.Rfc822Text });

    /// <summary>
    /// The items; the caller adds UID and MODSEQ where the command implies them, and has checked with
    /// <see cref="HasUnknownEncoding"/> that every BINARY part can be decoded.
    /// </summary>
    public static List<KeyValuePair<string, ImapValue>> Build(Item item, MessageContent? content, IEnumerable<ImapFetchAttribute> attributes)
    {
        var items = new List<KeyValuePair<string, ImapValue>>();
        foreach (var attribute in attributes)
        {
            items.Add(attribute switch
            {
                FetchBodySection section => Section(content!, section),
                FetchBinary binary => new(BinarySections.Name(binary),
                    BinarySections.Value(BodySections.Partial(BinarySections.Read(content!, binary.Part)!.Value, binary.Partial))),
                FetchBinarySize size => new(BinarySections.SizeName(size), ImapValue.Number((ulong)BinarySections.Read(content!, size.Part)!.Value.Length)),
                FetchItem { Item: var what } => new(Name(what), Value(item, content, what)),
                _ => throw new InvalidOperationException($"{attribute} is refused before fetching"),
            });
        }
        return items;
    }

    /// <summary>Whether a BINARY item names a part whose content transfer encoding is unknown (RFC 3516 §4.3 [UNKNOWN-CTE]).</summary>
    public static bool HasUnknownEncoding(MessageContent content, IEnumerable<ImapFetchAttribute> attributes) => attributes.Any(a => a switch
    {
        FetchBinary binary => BinarySections.Read(content, binary.Part) is null,
        FetchBinarySize size => BinarySections.Read(content, size.Part) is null,
        _ => false,
    });

    public static string InternalDate(DateTimeOffset date) =>
        date.ToUniversalTime().ToString("dd-MMM-yyyy HH:mm:ss", CultureInfo.InvariantCulture) + " +0000";

    private static KeyValuePair<string, ImapValue> Section(MessageContent content, FetchBodySection section)
    {
        var octets = BodySections.Read(content, section.Section) ?? ReadOnlyMemory<byte>.Empty;
        return new(BodySections.Name(section.Section, section.Partial), BodySections.Literal(BodySections.Partial(octets, section.Partial)));
    }

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
        ImapFetchItem.Body => BodyStructureValue.Body(content!.Structure.Body, extensions: false),
        ImapFetchItem.Rfc822 => BodySections.Literal(content!.Bytes),
        ImapFetchItem.Rfc822Header => BodySections.Literal(BodySections.Read(content!, ImapSection.Whole with { Text = ImapSectionText.Header })!.Value),
        _ => BodySections.Literal(BodySections.Read(content!, ImapSection.Whole with { Text = ImapSectionText.Text })!.Value),
    };
}
