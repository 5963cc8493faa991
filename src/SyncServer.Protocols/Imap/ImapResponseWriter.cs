using System.Buffers;

namespace SyncServer.Protocols.Imap;

/// <summary>Serialises <see cref="ImapResponse"/>s, each ending in CRLF.</summary>
public static class ImapResponseWriter
{
    public static void Write(IBufferWriter<byte> output, ImapResponse response)
    {
        switch (response)
        {
            case ImapStatusResponse status:
                WriteStatus(output, status);
                break;
            case ImapContinuationResponse continuation:
                output.Write("+ "u8);
                ImapValueWriter.WriteAscii(output, continuation.Text);
                break;
            case ImapCapabilityResponse capability:
                Untagged(output, "CAPABILITY");
                Words(output, capability.Capabilities, leadingSpace: true);
                break;
            case ImapEnabledResponse enabled:
                Untagged(output, "ENABLED");
                Words(output, enabled.Capabilities, leadingSpace: true);
                break;
            case ImapFlagsResponse flags:
                Untagged(output, "FLAGS ");
                Parenthesised(output, flags.Flags);
                break;
            case ImapExistsResponse exists:
                Numbered(output, exists.Count, " EXISTS"u8);
                break;
            case ImapRecentResponse recent:
                Numbered(output, recent.Count, " RECENT"u8);
                break;
            case ImapExpungeResponse expunge:
                Numbered(output, expunge.SequenceNumber, " EXPUNGE"u8);
                break;
            case ImapVanishedResponse vanished:
                Untagged(output, vanished.Earlier ? "VANISHED (EARLIER) " : "VANISHED ");
                ImapValueWriter.WriteAscii(output, vanished.Uids.ToString());
                break;
            case ImapListResponse list:
                WriteList(output, list);
                break;
            case ImapStatusDataResponse status:
                WriteStatusData(output, status);
                break;
            case ImapSearchResponse search:
                Untagged(output, "SEARCH");
                foreach (var number in search.Numbers)
                    SpaceNumber(output, number);
                if (search.HighestModSeq is { } modSeq)
                {
                    output.Write(" (MODSEQ "u8);
                    ImapValueWriter.WriteNumber(output, modSeq);
                    output.Write(")"u8);
                }
                break;
            case ImapESearchResponse esearch:
                WriteESearch(output, esearch);
                break;
            case ImapFetchResponse fetch:
                WriteFetch(output, fetch);
                break;
            case ImapThreadResponse thread:
                Untagged(output, "THREAD");
                if (thread.Threads.Count > 0)
                    output.Write(" "u8);
                foreach (var root in thread.Threads)
                    WriteThread(output, root);
                break;
            case ImapUntaggedDataResponse data:
                Untagged(output, data.Name);
                foreach (var value in data.Values)
                {
                    output.Write(" "u8);
                    ImapValueWriter.Write(output, value);
                }
                break;
            default:
                throw new ArgumentException($"Unknown IMAP response {response.GetType().Name}.", nameof(response));
        }
        output.Write("\r\n"u8);
    }

    private static void WriteStatus(IBufferWriter<byte> output, ImapStatusResponse status)
    {
        ImapValueWriter.WriteAscii(output, status.Tag ?? "*");
        output.Write(status.Status switch
        {
            ImapStatus.Ok => " OK "u8,
            ImapStatus.No => " NO "u8,
            ImapStatus.Bad => " BAD "u8,
            ImapStatus.PreAuth => " PREAUTH "u8,
            _ => " BYE "u8,
        });
        if (status.Code is { } code)
        {
            output.Write("["u8);
            ImapValueWriter.WriteAscii(output, code.ToString());
            output.Write("] "u8);
        }
        // resp-text needs at least one character of text (RFC 9051 §9).
        ImapValueWriter.WriteAscii(output, status.Text.Length > 0 ? status.Text : status.Status.ToString().ToUpperInvariant());
    }

    private static void WriteList(IBufferWriter<byte> output, ImapListResponse list)
    {
        Untagged(output, list.Lsub ? "LSUB " : "LIST ");
        Parenthesised(output, list.Attributes);
        output.Write(" "u8);
        if (list.Delimiter is { } delimiter)
            ImapValueWriter.WriteString(output, delimiter.ToString());
        else
            output.Write("NIL"u8);
        output.Write(" "u8);
        ImapValueWriter.WriteAString(output, list.Mailbox);
        if (list.Extended is { Count: > 0 } extended)
        {
            output.Write(" "u8);
            ImapValueWriter.Write(output, new ImapList(extended));
        }
    }

    // thread-list = "(" (thread-members / thread-nested) ")"; thread-members = nz-number *(SP nz-number) [SP thread-nested];
    // thread-nested = 2*thread-list (RFC 5256 §5).
    private static void WriteThread(IBufferWriter<byte> output, ImapThreadNode node)
    {
        output.Write("("u8);
        var children = node.Children;
        if (node.Number is { } first)
        {
            ImapValueWriter.WriteNumber(output, first);
            while (children is [{ Number: { } next } only])
            {
                SpaceNumber(output, next);
                children = only.Children;
            }
            if (children.Count > 0)
                output.Write(" "u8);
        }
        foreach (var child in children)
            WriteThread(output, child);
        output.Write(")"u8);
    }

    private static void WriteStatusData(IBufferWriter<byte> output, ImapStatusDataResponse status)
    {
        Untagged(output, "STATUS ");
        ImapValueWriter.WriteAString(output, status.Mailbox);
        output.Write(" ("u8);
        for (var i = 0; i < status.Items.Count; i++)
        {
            if (i > 0)
                output.Write(" "u8);
            ImapValueWriter.WriteAscii(output, status.Items[i].Key.ToString().ToUpperInvariant());
            SpaceNumber(output, status.Items[i].Value);
        }
        output.Write(")"u8);
    }

    private static void WriteESearch(IBufferWriter<byte> output, ImapESearchResponse esearch)
    {
        Untagged(output, "ESEARCH");
        if (esearch.Tag is not null)
        {
            output.Write(" (TAG "u8);
            ImapValueWriter.WriteString(output, esearch.Tag);
            output.Write(")"u8);
        }
        if (esearch.Uid)
            output.Write(" UID"u8);
        Optional(output, " MIN"u8, esearch.Min);
        Optional(output, " MAX"u8, esearch.Max);
        Optional(output, " COUNT"u8, esearch.Count);
        if (esearch.All is { } all)
        {
            output.Write(" ALL "u8);
            ImapValueWriter.WriteAscii(output, all.ToString());
        }
        Optional(output, " MODSEQ"u8, esearch.HighestModSeq);
    }

    private static void WriteFetch(IBufferWriter<byte> output, ImapFetchResponse fetch)
    {
        WriteFetchStart(output, fetch.SequenceNumber);
        for (var i = 0; i < fetch.Items.Count; i++)
        {
            WriteFetchItemName(output, fetch.Items[i].Key, first: i == 0);
            ImapValueWriter.Write(output, fetch.Items[i].Value);
        }
        output.Write(")"u8);
    }

    /// <summary>
    /// A FETCH response written piece by piece, for a value whose octets are copied in after its literal
    /// announcement (<see cref="ImapValueWriter.WriteLiteralAnnouncement"/>): <c>* n FETCH (</c>, then per item
    /// its name and value, then <see cref="WriteFetchEnd"/>.
    /// </summary>
    public static void WriteFetchStart(IBufferWriter<byte> output, uint sequenceNumber) => Numbered(output, sequenceNumber, " FETCH ("u8);

    /// <summary>An item's name and the space before its value, after a space when it is not the first.</summary>
    public static void WriteFetchItemName(IBufferWriter<byte> output, string name, bool first)
    {
        if (!first)
            output.Write(" "u8);
        ImapValueWriter.WriteAscii(output, name);
        output.Write(" "u8);
    }

    public static void WriteFetchEnd(IBufferWriter<byte> output) => output.Write(")\r\n"u8);

    private static void Untagged(IBufferWriter<byte> output, string name)
    {
        output.Write("* "u8);
        ImapValueWriter.WriteAscii(output, name);
    }

    private static void Numbered(IBufferWriter<byte> output, ulong number, ReadOnlySpan<byte> name)
    {
        output.Write("* "u8);
        ImapValueWriter.WriteNumber(output, number);
        output.Write(name);
    }

    private static void SpaceNumber(IBufferWriter<byte> output, ulong number)
    {
        output.Write(" "u8);
        ImapValueWriter.WriteNumber(output, number);
    }

    private static void Optional(IBufferWriter<byte> output, ReadOnlySpan<byte> name, ulong? number)
    {
        if (number is not { } n)
            return;
        output.Write(name);
        SpaceNumber(output, n);
    }

    private static void Parenthesised(IBufferWriter<byte> output, IReadOnlyList<string> words)
    {
        output.Write("("u8);
        Words(output, words, leadingSpace: false);
        output.Write(")"u8);
    }

    private static void Words(IBufferWriter<byte> output, IReadOnlyList<string> words, bool leadingSpace)
    {
        for (var i = 0; i < words.Count; i++)
        {
            if (leadingSpace || i > 0)
                output.Write(" "u8);
            ImapValueWriter.WriteAscii(output, words[i]);
        }
    }
}
