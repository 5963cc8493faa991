using System.Buffers;
using System.Collections;
using System.Text;
using SyncServer.Protocols.Imap;
using SyncServer.Protocols.Tests.Common;

namespace SyncServer.Protocols.Tests.Imap;

/// <summary>Runs the IMAP parser over an input whole and at every split, and checks they agree.</summary>
internal static class ImapParsing
{
    public static IReadOnlyList<ImapParseOutcome> ParseAll(string input, ImapParserLimits? limits = null) =>
        ParseAll(Encoding.UTF8.GetBytes(input), limits ?? ImapParserLimits.Default);

    public static IReadOnlyList<ImapParseOutcome> ParseAll(byte[] input, ImapParserLimits limits) =>
        SplitInput.ParseAtEverySplit(input, (bytes, readEnds) => Parse(bytes, readEnds, limits), Describe);

    /// <summary>One command in (continuations for its literals aside), one command out.</summary>
    public static T Command<T>(string input, ImapParserLimits? limits = null) where T : ImapCommand
    {
        var results = ParseAll(input, limits).Where(r => r is not ImapContinuationRequest).ToList();
        Assert.That(results, Has.Count.EqualTo(1), Describe(results));
        return results[0] as T ?? throw new AssertionException($"expected {typeof(T).Name}, got {Describe(results[0])}");
    }

    /// <summary>One command in, one error out.</summary>
    public static ImapSyntaxError Error(string input, ImapParserLimits? limits = null)
    {
        var results = ParseAll(input, limits).Where(r => r is not ImapContinuationRequest).ToList();
        Assert.That(results, Has.Count.EqualTo(1), Describe(results));
        return results[0] as ImapSyntaxError ?? throw new AssertionException($"expected an error, got {Describe(results[0])}");
    }

    /// <summary>One APPEND in (its message literal LITERAL+ or answered), its command and message out.</summary>
    public static (Append Command, byte[] Message) Append(string input, ImapParserLimits? limits = null)
    {
        var results = ParseAll(input, limits);
        Assert.That(results, Has.Count.EqualTo(2), Describe(results));
        return (results[0] as Append ?? throw new AssertionException($"expected Append, got {Describe(results[0])}"),
            (results[1] as AppendedMessage ?? throw new AssertionException($"expected the message, got {Describe(results[1])}")).Message);
    }

    /// <summary>
    /// Feeds the input as the session does: after an <see cref="Imap.Append"/> the message literal is read as it
    /// arrives (it comes out as one <see cref="AppendedMessage"/>, or the end's error), then parsing goes on.
    /// </summary>
    private static List<ImapParseOutcome> Parse(byte[] input, int[] readEnds, ImapParserLimits limits)
    {
        var results = new List<ImapParseOutcome>();
        var state = new ImapCommandState();
        List<byte>? message = null;
        SplitInput.Feed(input, readEnds, (ref SequenceReader<byte> reader) =>
        {
            while (true)
            {
                if (message is not null)
                {
                    message.AddRange(ImapCommandParser.ReadAppendLiteral(ref reader, ref state, out var remaining).ToArray());
                    if (remaining > 0 || !ImapCommandParser.TryParseAppendEnd(ref reader, ref state, out var error))
                        return;
                    results.Add(error ?? (ImapParseOutcome)new AppendedMessage([.. message]));
                    message = null;
                }
                if (!ImapCommandParser.TryParse(ref reader, limits, ref state, out var outcome))
                    return;
                results.Add(outcome);
                if (outcome is Append)
                    message = [];
            }
        });
        return results;
    }

    /// <summary>The octets of an APPEND's message literal, as the session streams them.</summary>
    public sealed record AppendedMessage(byte[] Message) : ImapParseOutcome;

    /// <summary>
    /// Records compare lists and byte arrays by reference and print them as type names, so outcomes are
    /// spelled out in full to compare them.
    /// </summary>
    public static string Describe(object? value) => value switch
    {
        null => "null",
        string text => $"\"{text}\"",
        byte[] bytes => $"<{Encoding.UTF8.GetString(bytes)}>",
        ReadOnlyMemory<byte> bytes => $"<{Encoding.UTF8.GetString(bytes.Span)}>",
        ImapSequenceSet set => set.ToString(),
        DateOnly date => date.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        IEnumerable items => $"[{string.Join(", ", items.Cast<object?>().Select(Describe))}]",
        _ when value.GetType().Namespace == typeof(ImapCommand).Namespace && !value.GetType().IsEnum
            || value.GetType().Name.StartsWith("KeyValuePair", StringComparison.Ordinal) =>
            value.GetType().Name + "{" + string.Join(", ", value.GetType().GetProperties()
                .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
                .Select(p => $"{p.Name}={Describe(p.GetValue(value))}")) + "}",
        _ => value.ToString() ?? "",
    };
}
