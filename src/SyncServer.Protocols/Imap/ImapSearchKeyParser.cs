using System.Text;

namespace SyncServer.Protocols.Imap;

/// <summary>Step 4: search keys (RFC 9051 §6.4.4, RFC 7162 §3.1.5, RFC 5182 "$"), nesting bounded by the limits.</summary>
internal static class ImapSearchKeyParser
{
    /// <summary>search-key *(SP search-key) up to the end of the command.</summary>
    public static ImapSearchKey ParseCriteria(ref ImapSyntaxReader reader)
    {
        var keys = new List<ImapSearchKey> { Parse(ref reader) };
        while (reader.TrySpace())
            keys.Add(Parse(ref reader));
        return keys.Count == 1 ? keys[0] : new SearchAnd(keys);
    }

    public static ImapSearchKey Parse(ref ImapSyntaxReader reader)
    {
        reader.Enter();
        var key = ParseOne(ref reader);
        reader.Leave();
        return key;
    }

    private static ImapSearchKey ParseOne(ref ImapSyntaxReader reader)
    {
        if (reader.TryConsume((byte)'('))
        {
            var keys = new List<ImapSearchKey> { Parse(ref reader) };
            while (reader.TrySpace())
                keys.Add(Parse(ref reader));
            reader.Expect((byte)')');
            return keys.Count == 1 ? keys[0] : new SearchAnd(keys);
        }
        if (reader.Peek() is '$' or '*' || reader.Peek() is >= '0' and <= '9')
            return new SearchSet(ImapSequenceSet.Parse(ref reader), Uid: false);

        var name = reader.Keyword();
        return name switch
        {
            "ALL" => new SearchAll(),
            "ANSWERED" or "DELETED" or "DRAFT" or "FLAGGED" or "SEEN" => new SearchFlag(SystemFlag(name), true),
            "UNANSWERED" or "UNDELETED" or "UNDRAFT" or "UNFLAGGED" or "UNSEEN" => new SearchFlag(SystemFlag(name[2..]), false),
            "RECENT" => new SearchFlag(@"\Recent", true),
            "OLD" => new SearchFlag(@"\Recent", false),
            "NEW" => new SearchAnd([new SearchFlag(@"\Recent", true), new SearchFlag(@"\Seen", false)]),
            "KEYWORD" => new SearchFlag(FlagKeyword(ref reader), true),
            "UNKEYWORD" => new SearchFlag(FlagKeyword(ref reader), false),
            "BCC" or "CC" or "FROM" or "SUBJECT" or "TO" => new SearchHeader(HeaderName(name), AString(ref reader)),
            "HEADER" => new SearchHeader(AString(ref reader), AString(ref reader)),
            "BODY" => new SearchText(AString(ref reader), IncludeHeader: false),
            "TEXT" => new SearchText(AString(ref reader), IncludeHeader: true),
            "BEFORE" or "ON" or "SINCE" => Date(ref reader, SearchDateField.Internal, name),
            "SENTBEFORE" or "SENTON" or "SENTSINCE" => Date(ref reader, SearchDateField.Sent, name[4..]),
            "LARGER" => new SearchSize(true, Number64(ref reader)),
            "SMALLER" => new SearchSize(false, Number64(ref reader)),
            "UID" => new SearchSet(SequenceSet(ref reader), Uid: true),
            "NOT" => new SearchNot(Key(ref reader)),
            "OR" => new SearchOr(Key(ref reader), Key(ref reader)),
            "MODSEQ" => ModSeq(ref reader),
            _ => throw ImapSyntaxReader.Fail($"Unknown search key {name}"),
        };
    }

    private static string SystemFlag(string name) => "\\" + name[0] + name[1..].ToLowerInvariant();

    private static string HeaderName(string name) => name[0] + name[1..].ToLowerInvariant();

    private static ImapSearchKey Date(ref ImapSyntaxReader reader, SearchDateField field, string comparison)
    {
        reader.Space();
        return new SearchDate(field, Enum.Parse<SearchDateComparison>(comparison, ignoreCase: true), reader.Date());
    }

    // search-modsequence = "MODSEQ" [search-modseq-ext] SP mod-sequence-valzer;
    // search-modseq-ext = SP entry-name SP entry-type-req, entry-name a quoted "/flags/..." string.
    private static ImapSearchKey ModSeq(ref ImapSyntaxReader reader)
    {
        reader.Space();
        if (reader.Peek() is not ('"' or '{'))
            return new SearchModSeq(reader.Number64(), null, null);
        var entry = reader.String();
        reader.Space();
        var type = reader.Keyword();
        if (type is not ("PRIV" or "SHARED" or "ALL"))
            throw ImapSyntaxReader.Fail("MODSEQ entry type must be priv, shared or all");
        reader.Space();
        return new SearchModSeq(reader.Number64(), entry, type.ToLowerInvariant());
    }

    // One argument after its SP, so the switch above stays one line per key.
    private static string AString(ref ImapSyntaxReader reader)
    {
        reader.Space();
        return reader.AString();
    }

    private static string FlagKeyword(ref ImapSyntaxReader reader)
    {
        reader.Space();
        return Encoding.ASCII.GetString(reader.Atom());
    }

    private static ulong Number64(ref ImapSyntaxReader reader)
    {
        reader.Space();
        return reader.Number64();
    }

    private static ImapSequenceSet SequenceSet(ref ImapSyntaxReader reader)
    {
        reader.Space();
        return ImapSequenceSet.Parse(ref reader);
    }

    private static ImapSearchKey Key(ref ImapSyntaxReader reader)
    {
        reader.Space();
        return Parse(ref reader);
    }
}
