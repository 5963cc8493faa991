namespace SyncServer.Protocols.Imap;

/// <summary>
/// seq-range = seq-number ":" seq-number, where seq-number is a non-zero number or "*" (null here): the largest
/// number in use, so the range means nothing until <see cref="ImapSequenceSet.Resolve"/> is given that number.
/// </summary>
public readonly record struct ImapSequenceRange(uint? First, uint? Last)
{
    public override string ToString() =>
        First == Last ? Format(First) : $"{Format(First)}:{Format(Last)}";

    private static string Format(uint? number) => number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "*";
}

/// <summary>
/// sequence-set (RFC 9051 §9), for message sequence numbers and UIDs alike, or "$": the saved search result
/// (RFC 5182), which only the session knows. <see cref="ToString"/> is the wire form.
/// </summary>
public sealed record ImapSequenceSet
{
    public static readonly ImapSequenceSet SavedResult = new([], isSavedResult: true);

    private ImapSequenceSet(IReadOnlyList<ImapSequenceRange> ranges, bool isSavedResult)
    {
        Ranges = ranges;
        IsSavedResult = isSavedResult;
    }

    public ImapSequenceSet(IReadOnlyList<ImapSequenceRange> ranges) : this(ranges, isSavedResult: false)
    {
        if (ranges.Count == 0)
            throw new ArgumentException("A sequence set has at least one range.", nameof(ranges));
    }

    public IReadOnlyList<ImapSequenceRange> Ranges { get; }

    public bool IsSavedResult { get; }

    /// <summary>The smallest set of ranges covering <paramref name="numbers"/>, e.g. 1,2,3,5 → 1:3,5.</summary>
    public static ImapSequenceSet FromNumbers(IEnumerable<uint> numbers)
    {
        var ranges = new List<ImapSequenceRange>();
        foreach (var n in numbers.Order().Distinct())
        {
            if (ranges.Count > 0 && ranges[^1].Last + 1 == n)
                ranges[^1] = ranges[^1] with { Last = n };
            else
                ranges.Add(new ImapSequenceRange(n, n));
        }
        return new ImapSequenceSet(ranges);
    }

    /// <summary>
    /// The ranges as ascending (first, last) pairs with "*" replaced by <paramref name="largest"/>. Ranges are
    /// not merged or de-duplicated: callers iterate them, and overlaps are the client's business (RFC 9051 §9
    /// lets a server answer each message once or not). An empty mailbox makes "*" mean nothing, so every range
    /// resolves to none.
    /// </summary>
    public IEnumerable<(uint First, uint Last)> Resolve(uint largest)
    {
        if (IsSavedResult)
            throw new InvalidOperationException("\"$\" is resolved by the session from its saved search result.");
        if (largest == 0)
            yield break;
        foreach (var range in Ranges)
        {
            var a = range.First ?? largest;
            var b = range.Last ?? largest;
            yield return a <= b ? (a, b) : (b, a);
        }
    }

    public bool Contains(uint number, uint largest) =>
        Resolve(largest).Any(range => number >= range.First && number <= range.Last);

    public bool Equals(ImapSequenceSet? other) =>
        other is not null && IsSavedResult == other.IsSavedResult && Ranges.SequenceEqual(other.Ranges);

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    public override string ToString() => IsSavedResult ? "$" : string.Join(",", Ranges);

    /// <summary>sequence-set = (seq-number / seq-range) ["," sequence-set], or "$" where SEARCHRES allows it.</summary>
    internal static ImapSequenceSet Parse(ref ImapSyntaxReader reader)
    {
        if (reader.TryConsume((byte)'$'))
            return SavedResult;
        var ranges = new List<ImapSequenceRange>();
        do
        {
            if (ranges.Count == reader.Limits.MaxSequenceSetRanges)
                throw ImapSyntaxReader.Fail("Too many ranges in sequence set");
            var first = Number(ref reader);
            ranges.Add(new ImapSequenceRange(first, reader.TryConsume((byte)':') ? Number(ref reader) : first));
        }
        while (reader.TryConsume((byte)','));
        return new ImapSequenceSet(ranges);
    }

    private static uint? Number(ref ImapSyntaxReader reader) => reader.TryConsume((byte)'*') ? null : reader.NzNumber();

}
