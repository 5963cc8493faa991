using System.Globalization;

namespace SyncServer.Protocols.Imap;

/// <summary>fetch-att (RFC 9051 §6.4.5, RFC 3516 BINARY, RFC 7162 MODSEQ). Macros arrive expanded.</summary>
public abstract record ImapFetchAttribute;

public enum ImapFetchItem
{
    Envelope, Flags, InternalDate, Rfc822, Rfc822Header, Rfc822Size, Rfc822Text, Body, BodyStructure, Uid, ModSeq,
}

/// <summary>An attribute without arguments, e.g. FLAGS or BODYSTRUCTURE.</summary>
public sealed record FetchItem(ImapFetchItem Item) : ImapFetchAttribute;

/// <summary>BODY[section]&lt;partial&gt; or BODY.PEEK[…] (<see cref="Peek"/>: do not set \Seen).</summary>
public sealed record FetchBodySection(ImapSection Section, bool Peek, ImapPartial? Partial) : ImapFetchAttribute;

/// <summary>BINARY[part]&lt;partial&gt; or BINARY.PEEK[…]: the part with its content transfer encoding removed.</summary>
public sealed record FetchBinary(IReadOnlyList<uint> Part, bool Peek, ImapPartial? Partial) : ImapFetchAttribute;

/// <summary>BINARY.SIZE[part].</summary>
public sealed record FetchBinarySize(IReadOnlyList<uint> Part) : ImapFetchAttribute;

public enum ImapSectionText { Header, HeaderFields, HeaderFieldsNot, Text, Mime }

/// <summary>
/// section-spec: a part path (empty for the whole message) and what of it. <see cref="ToString"/> is the wire
/// form the FETCH response echoes, e.g. <c>1.2.HEADER.FIELDS (From To)</c>.
/// </summary>
public sealed record ImapSection(IReadOnlyList<uint> Part, ImapSectionText? Text, IReadOnlyList<string> HeaderFields)
{
    public static readonly ImapSection Whole = new([], null, []);

    public override string ToString()
    {
        var parts = Part.Select(n => n.ToString(CultureInfo.InvariantCulture));
        var text = Text switch
        {
            ImapSectionText.Header => "HEADER",
            ImapSectionText.HeaderFields => $"HEADER.FIELDS ({string.Join(' ', HeaderFields)})",
            ImapSectionText.HeaderFieldsNot => $"HEADER.FIELDS.NOT ({string.Join(' ', HeaderFields)})",
            ImapSectionText.Text => "TEXT",
            ImapSectionText.Mime => "MIME",
            _ => null,
        };
        return string.Join('.', text is null ? parts : parts.Append(text));
    }
}

/// <summary>partial = "&lt;" number64 "." nz-number64 "&gt;": octets from <see cref="Offset"/>, at most <see cref="Length"/>.</summary>
public readonly record struct ImapPartial(ulong Offset, ulong Length);
