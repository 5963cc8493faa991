using SyncServer.Protocols.Imap;
using static SyncServer.Protocols.Tests.Imap.ImapParsing;

namespace SyncServer.Protocols.Tests.Imap;

public class ImapSequenceSetTests
{
    private static ImapSequenceSet Parse(string set) => Command<Copy>($"a COPY {set} x\r\n").Set;

    [TestCase("1")]
    [TestCase("1:*")]
    [TestCase("*")]
    [TestCase("*:4")]
    [TestCase("2,4:7,9,12:*")]
    [TestCase("4294967295")]
    public void Sequence_set_round_trips(string set) => Assert.That(Parse(set).ToString(), Is.EqualTo(set));

    [TestCase("0")]
    [TestCase("1:0")]
    [TestCase("4294967296")]
    [TestCase("1,")]
    [TestCase(",1")]
    [TestCase("1::2")]
    [TestCase("-1")]
    [TestCase("1:*:2")]
    public void Sequence_set_invalid_forms_are_BAD(string set) => Assert.That(Error($"a COPY {set} x\r\n").Tag, Is.EqualTo("a"));

    [Test]
    public void Sequence_set_with_more_ranges_than_the_limit_is_BAD() =>
        Assert.That(Error("a FETCH 1,2,3,4 FLAGS\r\n", new ImapParserLimits { MaxSequenceSetRanges = 3 }).Message,
            Is.EqualTo("Too many ranges in sequence set"));

    [Test]
    public void Star_resolves_to_the_largest_number_and_reversed_ranges_are_ascending() =>
        Assert.That(Parse("*:4,2,7:5").Resolve(10), Is.EqualTo(new[] { (4u, 10u), (2u, 2u), (5u, 7u) }));

    [Test]
    public void Star_in_an_empty_mailbox_matches_nothing() => Assert.That(Parse("1:*").Resolve(0), Is.Empty);

    [Test]
    public void Range_past_the_end_with_star_covers_the_last_message() =>
        // RFC 9051 §6.4.8: "UID 3:*" matches the last message even when its UID is below 3.
        Assert.That(Parse("30:*").Contains(20, largest: 20), Is.True);

    [Test]
    public void Saved_result_is_not_resolved_here() =>
        Assert.Throws<InvalidOperationException>(() => ImapSequenceSet.SavedResult.Resolve(5).ToList());

    [Test]
    public void From_numbers_builds_compact_ranges() =>
        Assert.That(ImapSequenceSet.FromNumbers([7, 1, 2, 3, 5, 3, 8]).ToString(), Is.EqualTo("1:3,5,7:8"));

    [Test]
    public void Sets_with_the_same_ranges_are_equal() => Assert.That(Parse("1:3,5"), Is.EqualTo(ImapSequenceSet.FromNumbers([1, 2, 3, 5])));
}
