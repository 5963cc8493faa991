using System.Buffers;
using System.Text;
using SyncServer.Protocols.Smtp;

namespace SyncServer.Protocols.Tests.Smtp;

/// <summary>
/// Feeds input the way a PipeReader does: in reads, offering unconsumed bytes again with the next read, as a
/// two-segment sequence (the leftover, then the new bytes) so segment boundaries are exercised too.
/// </summary>
internal static class SplitInput
{
    public delegate void ReadStep(ref SequenceReader<byte> reader);

    public static void Feed(byte[] input, IEnumerable<int> readEnds, ReadStep step)
    {
        var leftover = Array.Empty<byte>();
        var start = 0;
        foreach (var end in readEnds.Append(input.Length))
        {
            var sequence = TwoSegments(leftover, input[start..end]);
            var reader = new SequenceReader<byte>(sequence);
            step(ref reader);
            leftover = sequence.Slice(reader.Position).ToArray();
            start = end;
        }
    }

    /// <summary>Every way of cutting the input into reads that matters: at each byte, and one byte per read.</summary>
    public static IEnumerable<int[]> AllSplits(int length) =>
        Enumerable.Range(1, Math.Max(0, length - 1)).Select(cut => new[] { cut })
            .Append(Enumerable.Range(1, Math.Max(0, length - 1)).ToArray());

    private static ReadOnlySequence<byte> TwoSegments(byte[] first, byte[] second)
    {
        if (first.Length == 0 || second.Length == 0)
            return new ReadOnlySequence<byte>(first.Length == 0 ? second : first);
        var head = new Segment(first, 0);
        var tail = head.Append(second);
        return new ReadOnlySequence<byte>(head, 0, tail, second.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}

/// <summary>Runs the command parser over an input whole and at every split, and checks they agree.</summary>
internal static class CommandParsing
{
    public static IReadOnlyList<object> ParseAll(string input, SmtpParserLimits? limits = null) =>
        ParseAll(Encoding.UTF8.GetBytes(input), limits ?? SmtpParserLimits.Default);

    public static IReadOnlyList<object> ParseAll(byte[] input, SmtpParserLimits limits)
    {
        var whole = Parse(input, [], limits);
        foreach (var split in SplitInput.AllSplits(input.Length))
            Assert.That(Describe(Parse(input, split, limits)), Is.EqualTo(Describe(whole)),
                $"reads ending at {string.Join(",", split)}");
        return whole;
    }

    /// <summary>One line in, one command out.</summary>
    public static T Command<T>(string line, SmtpParserLimits? limits = null) where T : SmtpCommand
    {
        var results = ParseAll(line, limits);
        Assert.That(results, Has.Count.EqualTo(1));
        return results[0] as T ?? throw new AssertionException($"expected {typeof(T).Name}, got {results[0]}");
    }

    /// <summary>One line in, one error out.</summary>
    public static SmtpSyntaxError Error(string line, SmtpParserLimits? limits = null)
    {
        var results = ParseAll(line, limits);
        Assert.That(results, Has.Count.EqualTo(1));
        return results[0] as SmtpSyntaxError ?? throw new AssertionException($"expected an error, got {results[0]}");
    }

    private static List<object> Parse(byte[] input, int[] readEnds, SmtpParserLimits limits)
    {
        var results = new List<object>();
        var state = new SmtpLineState();
        SplitInput.Feed(input, readEnds, (ref SequenceReader<byte> reader) =>
        {
            while (SmtpCommandParser.TryParse(ref reader, limits, ref state, out var command, out var error))
            {
                Assert.That(command is null, Is.Not.EqualTo(error is null), "exactly one of command and error");
                results.Add((object?)command ?? error!);
            }
        });
        return results;
    }

    // Records compare lists by reference, so the extension parameters are spelled out.
    private static string Describe(IEnumerable<object> results) => string.Join("\n", results.Select(r => r switch
    {
        MailFrom m => m + string.Join(",", m.Extensions),
        RcptTo r2 => r2 + string.Join(",", r2.Extensions),
        _ => r.ToString(),
    }));
}
