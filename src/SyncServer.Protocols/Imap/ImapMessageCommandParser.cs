using System.Text;

namespace SyncServer.Protocols.Imap;

/// <summary>Step 6b: commands on messages of the selected mailbox, each also valid after UID (RFC 9051 §6.4).</summary>
internal static class ImapMessageCommandParser
{
    /// <summary>The command named <paramref name="name"/>, or null if it is not one of these.</summary>
    public static ImapCommand? TryParse(ref ImapSyntaxReader reader, string tag, string name, bool uid) => name switch
    {
        "SEARCH" => Search(ref reader, tag, uid),
        "FETCH" => Fetch(ref reader, tag, uid),
        "STORE" => Store(ref reader, tag, uid),
        "COPY" => new Copy(tag, uid, Set(ref reader), Mailbox(ref reader)),
        "MOVE" => new Move(tag, uid, Set(ref reader), Mailbox(ref reader)),
        "SORT" => Sort(ref reader, tag, uid),
        "THREAD" => Thread(ref reader, tag, uid),
        _ => null,
    };

    private static ImapSequenceSet Set(ref ImapSyntaxReader reader)
    {
        reader.Space();
        return ImapSequenceSet.Parse(ref reader);
    }

    private static string Mailbox(ref ImapSyntaxReader reader)
    {
        reader.Space();
        return reader.Mailbox();
    }

    // search = "SEARCH" [SP "RETURN" SP "(" [search-return-opt *(SP …)] ")"] SP ["CHARSET" SP charset SP] search-keys
    private static Search Search(ref ImapSyntaxReader reader, string tag, bool uid)
    {
        reader.Space();
        SearchReturn? returns = null;
        if (reader.TryKeyword("RETURN"u8))
        {
            reader.Space();
            reader.Expect((byte)'(');
            returns = SearchReturn.None;
            if (!reader.TryConsume((byte)')'))
            {
                do returns |= SearchReturnOption(reader.Keyword());
                while (reader.TrySpace());
                reader.Expect((byte)')');
            }
            // RFC 4731 §3.1: RETURN () means RETURN (ALL).
            if (returns == SearchReturn.None)
                returns = SearchReturn.All;
            reader.Space();
        }
        string? charset = null;
        if (reader.TryKeyword("CHARSET"u8))
        {
            charset = Charset(ref reader);
            reader.Space();
        }
        return new Search(tag, uid, returns, charset, ImapSearchKeyParser.ParseCriteria(ref reader));
    }

    private static SearchReturn SearchReturnOption(string option) => option switch
    {
        "MIN" => SearchReturn.Min,
        "MAX" => SearchReturn.Max,
        "ALL" => SearchReturn.All,
        "COUNT" => SearchReturn.Count,
        "SAVE" => SearchReturn.Save,
        _ => throw ImapSyntaxReader.Fail($"Unknown search return option {option}"),
    };

    // charset = atom / quoted; upper-cased, since charset names are case-insensitive.
    private static string Charset(ref ImapSyntaxReader reader)
    {
        reader.Space();
        var charset = reader.Peek() == '"' ? reader.String() : Encoding.ASCII.GetString(reader.Atom());
        return charset.ToUpperInvariant();
    }

    // fetch = "FETCH" SP sequence-set SP (macro / fetch-att / "(" …")") [SP "(" fetch-modifier *(SP …) ")"]
    private static Fetch Fetch(ref ImapSyntaxReader reader, string tag, bool uid)
    {
        var set = Set(ref reader);
        reader.Space();
        var attributes = ImapFetchAttributeParser.ParseList(ref reader);
        ulong? changedSince = null;
        var vanished = false;
        if (reader.TrySpace())
        {
            reader.Expect((byte)'(');
            do
            {
                if (reader.TryKeyword("CHANGEDSINCE"u8))
                {
                    reader.Space();
                    changedSince = reader.Number64();
                }
                else
                {
                    reader.ExpectKeyword("VANISHED"u8);
                    vanished = true;
                }
            }
            while (reader.TrySpace());
            reader.Expect((byte)')');
        }
        // RFC 7162 §3.2.6: VANISHED only in UID FETCH, and only with CHANGEDSINCE.
        if (vanished && (!uid || changedSince is null))
            throw ImapSyntaxReader.Fail("VANISHED needs UID FETCH with CHANGEDSINCE");
        return new Fetch(tag, uid, set, attributes, changedSince, vanished);
    }

    // store = "STORE" SP sequence-set [SP "(" "UNCHANGEDSINCE" SP mod-sequence-valzer ")"] SP store-att-flags
    private static Store Store(ref ImapSyntaxReader reader, string tag, bool uid)
    {
        var set = Set(ref reader);
        reader.Space();
        ulong? unchangedSince = null;
        if (reader.TryConsume((byte)'('))
        {
            reader.ExpectKeyword("UNCHANGEDSINCE"u8);
            reader.Space();
            unchangedSince = reader.Number64();
            reader.Expect((byte)')');
            reader.Space();
        }
        var (mode, silent) = reader.Keyword() switch
        {
            "FLAGS" => (StoreMode.Replace, false),
            "FLAGS.SILENT" => (StoreMode.Replace, true),
            "+FLAGS" => (StoreMode.Add, false),
            "+FLAGS.SILENT" => (StoreMode.Add, true),
            "-FLAGS" => (StoreMode.Remove, false),
            "-FLAGS.SILENT" => (StoreMode.Remove, true),
            _ => throw ImapSyntaxReader.Fail("Expected FLAGS, +FLAGS or -FLAGS"),
        };
        reader.Space();
        return new Store(tag, uid, set, unchangedSince, mode, silent, reader.FlagsWithOrWithoutParentheses());
    }

    // sort = "SORT" SP "(" ["REVERSE" SP] sort-key *(SP …) ")" SP charset 1*(SP search-key) (RFC 5256 §5)
    private static Sort Sort(ref ImapSyntaxReader reader, string tag, bool uid)
    {
        reader.Space();
        reader.Expect((byte)'(');
        var criteria = new List<SortCriterion>();
        do
        {
            var reverse = reader.TryKeyword("REVERSE"u8);
            if (reverse)
                reader.Space();
            criteria.Add(new SortCriterion(SortKeyNamed(reader.Keyword()), reverse));
        }
        while (reader.TrySpace());
        reader.Expect((byte)')');
        var charset = Charset(ref reader);
        reader.Space();
        return new Sort(tag, uid, criteria, charset, ImapSearchKeyParser.ParseCriteria(ref reader));
    }

    private static SortKey SortKeyNamed(string name) => name switch
    {
        "ARRIVAL" => SortKey.Arrival,
        "CC" => SortKey.Cc,
        "DATE" => SortKey.Date,
        "FROM" => SortKey.From,
        "SIZE" => SortKey.Size,
        "SUBJECT" => SortKey.Subject,
        "TO" => SortKey.To,
        "DISPLAYFROM" => SortKey.DisplayFrom,
        "DISPLAYTO" => SortKey.DisplayTo,
        _ => throw ImapSyntaxReader.Fail($"Unknown sort key {name}"),
    };

    // thread = "THREAD" SP thread-alg SP search-criteria (RFC 5256 §5)
    private static ThreadCommand Thread(ref ImapSyntaxReader reader, string tag, bool uid)
    {
        reader.Space();
        var algorithm = reader.Keyword();
        var charset = Charset(ref reader);
        reader.Space();
        return new ThreadCommand(tag, uid, algorithm, charset, ImapSearchKeyParser.ParseCriteria(ref reader));
    }
}
