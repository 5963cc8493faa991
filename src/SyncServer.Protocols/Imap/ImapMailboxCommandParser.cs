using System.Buffers;
using System.Text;

namespace SyncServer.Protocols.Imap;

/// <summary>Step 6a: commands about mailboxes (RFC 9051 §6.3 with CONDSTORE/QRESYNC, LIST-EXTENDED, SPECIAL-USE).</summary>
internal static class ImapMailboxCommandParser
{
    /// <summary>The command named <paramref name="name"/>, or null if it is not one of these.</summary>
    public static ImapCommand? TryParse(ref ImapSyntaxReader reader, string tag, string name) => name switch
    {
        "SELECT" => Select(ref reader, tag, readOnly: false),
        "EXAMINE" => Select(ref reader, tag, readOnly: true),
        "CREATE" => Create(ref reader, tag),
        "DELETE" => new Delete(tag, Mailbox(ref reader)),
        "RENAME" => new Rename(tag, Mailbox(ref reader), Mailbox(ref reader)),
        "SUBSCRIBE" => new Subscribe(tag, Mailbox(ref reader)),
        "UNSUBSCRIBE" => new Unsubscribe(tag, Mailbox(ref reader)),
        "LIST" => List(ref reader, tag),
        "LSUB" => new Lsub(tag, Mailbox(ref reader), Pattern(ref reader)),
        "STATUS" => Status(ref reader, tag),
        "APPEND" => Append(ref reader, tag),
        _ => null,
    };

    private static string Mailbox(ref ImapSyntaxReader reader)
    {
        reader.Space();
        return reader.Mailbox();
    }

    private static string Pattern(ref ImapSyntaxReader reader)
    {
        reader.Space();
        return reader.ListMailbox();
    }

    // select-params = SP "(" select-param *(SP select-param) ")"; CONDSTORE and QRESYNC (RFC 7162 §3.1.8, §3.2.5).
    private static Select Select(ref ImapSyntaxReader reader, string tag, bool readOnly)
    {
        var mailbox = Mailbox(ref reader);
        var condStore = false;
        QResyncParameters? qresync = null;
        if (reader.TrySpace())
        {
            reader.Expect((byte)'(');
            do
            {
                if (reader.TryKeyword("CONDSTORE"u8))
                    condStore = true;
                else if (reader.TryKeyword("QRESYNC"u8))
                    qresync = QResync(ref reader);
                else
                    throw ImapSyntaxReader.Fail("Unknown SELECT parameter");
            }
            while (reader.TrySpace());
            reader.Expect((byte)')');
        }
        return new Select(tag, mailbox, readOnly, condStore, qresync);
    }

    // "QRESYNC" SP "(" uidvalidity SP mod-sequence-value [SP known-uids] [SP seq-match-data] ")"
    // seq-match-data = "(" known-sequence-set SP known-uid-set ")"
    private static QResyncParameters QResync(ref ImapSyntaxReader reader)
    {
        reader.Space();
        reader.Expect((byte)'(');
        var uidValidity = reader.NzNumber();
        reader.Space();
        var modSeq = reader.Number64();
        ImapSequenceSet? knownUids = null, sequenceNumbers = null, uids = null;
        if (reader.TrySpace() && reader.Peek() != '(')
        {
            knownUids = ImapSequenceSet.Parse(ref reader);
            reader.TrySpace();
        }
        if (reader.TryConsume((byte)'('))
        {
            sequenceNumbers = ImapSequenceSet.Parse(ref reader);
            reader.Space();
            uids = ImapSequenceSet.Parse(ref reader);
            reader.Expect((byte)')');
        }
        reader.Expect((byte)')');
        return new QResyncParameters(uidValidity, modSeq, knownUids, sequenceNumbers, uids);
    }

    // create = "CREATE" SP mailbox [SP "(" "USE" SP "(" use-attr *(SP use-attr) ")" ")"] (RFC 6154 §6)
    private static Create Create(ref ImapSyntaxReader reader, string tag)
    {
        var mailbox = Mailbox(ref reader);
        if (!reader.TrySpace())
            return new Create(tag, mailbox, []);
        reader.Expect((byte)'(');
        reader.ExpectKeyword("USE"u8);
        reader.Space();
        var uses = reader.FlagList();
        reader.Expect((byte)')');
        return uses.Count > 0 && uses.All(u => u.StartsWith('\\'))
            ? new Create(tag, mailbox, uses)
            : throw ImapSyntaxReader.Fail("USE takes special-use attributes like \\Sent");
    }

    // list = "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts] (RFC 5258 §6)
    private static List List(ref ImapSyntaxReader reader, string tag)
    {
        reader.Space();
        var selection = ListSelection.None;
        if (reader.Peek() == '(')
        {
            reader.Expect((byte)'(');
            if (!reader.TryConsume((byte)')'))
            {
                do selection |= ListSelectionOption(reader.Keyword());
                while (reader.TrySpace());
                reader.Expect((byte)')');
            }
            // RFC 5258 §3.1: RECURSIVEMATCH only modifies another selection option.
            if (selection == ListSelection.RecursiveMatch)
                throw ImapSyntaxReader.Fail("RECURSIVEMATCH needs another selection option");
            reader.Space();
        }
        var reference = reader.Mailbox();
        reader.Space();
        List<string> patterns = [];
        if (reader.TryConsume((byte)'('))
        {
            do patterns.Add(reader.ListMailbox());
            while (reader.TrySpace());
            reader.Expect((byte)')');
        }
        else
            patterns.Add(reader.ListMailbox());

        var returns = ListReturn.None;
        List<ImapStatusItem> statusItems = [];
        if (reader.TrySpace())
        {
            reader.ExpectKeyword("RETURN"u8);
            reader.Space();
            reader.Expect((byte)'(');
            if (!reader.TryConsume((byte)')'))
            {
                do returns |= ReturnOption(ref reader, statusItems);
                while (reader.TrySpace());
                reader.Expect((byte)')');
            }
        }
        return new List(tag, reference, patterns, selection, returns, statusItems);
    }

    private static ListSelection ListSelectionOption(string option) => option switch
    {
        "SUBSCRIBED" => ListSelection.Subscribed,
        "REMOTE" => ListSelection.Remote,
        "RECURSIVEMATCH" => ListSelection.RecursiveMatch,
        "SPECIAL-USE" => ListSelection.SpecialUse,
        _ => throw ImapSyntaxReader.Fail($"Unknown LIST selection option {option}"),
    };

    private static ListReturn ReturnOption(ref ImapSyntaxReader reader, List<ImapStatusItem> statusItems)
    {
        switch (reader.Keyword())
        {
            case "SUBSCRIBED": return ListReturn.Subscribed;
            case "CHILDREN": return ListReturn.Children;
            case "SPECIAL-USE": return ListReturn.SpecialUse;
            case "STATUS":
                reader.Space();
                statusItems.AddRange(StatusItems(ref reader));
                return ListReturn.Status;
            case var option: throw ImapSyntaxReader.Fail($"Unknown LIST return option {option}");
        }
    }

    private static Status Status(ref ImapSyntaxReader reader, string tag)
    {
        var mailbox = Mailbox(ref reader);
        reader.Space();
        return new Status(tag, mailbox, StatusItems(ref reader));
    }

    private static List<ImapStatusItem> StatusItems(ref ImapSyntaxReader reader)
    {
        reader.Expect((byte)'(');
        var items = new List<ImapStatusItem>();
        do
        {
            items.Add(reader.Keyword() switch
            {
                "MESSAGES" => ImapStatusItem.Messages,
                "UIDNEXT" => ImapStatusItem.UidNext,
                "UIDVALIDITY" => ImapStatusItem.UidValidity,
                "UNSEEN" => ImapStatusItem.Unseen,
                "DELETED" => ImapStatusItem.Deleted,
                "SIZE" => ImapStatusItem.Size,
                "RECENT" => ImapStatusItem.Recent,
                "HIGHESTMODSEQ" => ImapStatusItem.HighestModSeq,
                var item => throw ImapSyntaxReader.Fail($"Unknown STATUS item {item}"),
            });
        }
        while (reader.TrySpace());
        reader.Expect((byte)')');
        return items;
    }

    // append = "APPEND" SP mailbox [SP flag-list] [SP date-time] SP (literal / literal8). A whole command reaches
    // here only without a message literal (framing hands out an APPEND as soon as its message literal is announced).
    private static Append Append(ref ImapSyntaxReader reader, string tag)
    {
        reader.Space();
        AppendArguments(ref reader);
        throw ImapSyntaxReader.Fail("APPEND takes the message as a literal");
    }

    /// <summary>Whether the command in <paramref name="input"/> is an APPEND, from its first octets.</summary>
    public static bool IsAppend(ReadOnlySequence<byte> input)
    {
        if (ImapTag.Peek(input) is not { } tag)
            return false;
        var name = input.Slice(tag.Length + 1);
        return Ascii.EqualsIgnoreCase(name.Slice(0, Math.Min(name.Length, 7)).ToArray(), "APPEND "u8);
    }

    /// <summary>
    /// An APPEND whose message literal is announced at the end of <paramref name="command"/> (the command so far,
    /// CRLF after the announcement included): the command without the message, whose octets follow in the input.
    /// Null when the command is not an APPEND, or when the announced literal is its mailbox name; an error when the
    /// arguments before the literal are not valid.
    /// </summary>
    public static ImapParseOutcome? AppendHead(ReadOnlySpan<byte> command, LiteralAnnouncement announcement, ImapParserLimits limits)
    {
        var reader = new ImapSyntaxReader(command[..^announcement.Length], limits);
        string tag;
        try
        {
            tag = ImapTag.Read(ref reader);
            reader.Space();
            if (reader.Keyword() != "APPEND")
                return null;
        }
        catch (ImapParseException)
        {
            return null; // not an APPEND: the grammar parser reports it once the command is complete
        }
        try
        {
            reader.Space();
            if (reader.Peek() == -1)
                return null;
            var (mailbox, flags, internalDate) = AppendArguments(ref reader);
            if (reader.Peek() != -1)
                throw ImapSyntaxReader.Fail("APPEND takes the message as a literal");
            return new Append(tag, mailbox, flags, internalDate, announcement.Size, announcement.Binary, announcement.Synchronizing);
        }
        catch (ImapParseException e)
        {
            return new ImapSyntaxError(tag, e.Message);
        }
    }

    // mailbox [SP flag-list] [SP date-time] SP, up to the message.
    private static (string Mailbox, List<string> Flags, DateTimeOffset? InternalDate) AppendArguments(ref ImapSyntaxReader reader)
    {
        var mailbox = reader.Mailbox();
        reader.Space();
        List<string> flags = [];
        if (reader.Peek() == '(')
        {
            flags = reader.FlagList();
            reader.Space();
        }
        DateTimeOffset? internalDate = null;
        if (reader.Peek() == '"')
        {
            internalDate = reader.DateTime();
            reader.Space();
        }
        return (mailbox, flags, internalDate);
    }
}
