using System.Buffers;

namespace SyncServer.Protocols.Tests.Common;

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

    /// <summary>
    /// Parses the input whole and at every split (<see cref="AllSplits"/>), asserts that every split gives the same
    /// outcomes as the whole (compared through <paramref name="describe"/>), and returns the whole's outcomes.
    /// </summary>
    public static List<T> ParseAtEverySplit<T>(byte[] input, Func<byte[], int[], List<T>> parse, Func<IEnumerable<T>, string> describe)
    {
        var whole = parse(input, []);
        foreach (var split in AllSplits(input.Length))
            Assert.That(describe(parse(input, split)), Is.EqualTo(describe(whole)), $"reads ending at {string.Join(",", split)}");
        return whole;
    }

    /// <summary>The input as one sequence of two segments cut at <paramref name="cut"/>, for whole-body decoders.</summary>
    public static ReadOnlySequence<byte> CutAt(byte[] input, int cut) => TwoSegments(input[..cut], input[cut..]);

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
