using SyncServer.Protocols.Imap;
using static SyncServer.Protocols.Tests.Imap.ImapParsing;

namespace SyncServer.Protocols.Tests.Imap;

public class ImapSearchTests
{
    private static ImapSearchKey Criteria(string keys) => Command<Search>($"a SEARCH {keys}\r\n").Criteria;

    private static ImapSequenceSet Set(uint? first, uint? last) => new([new ImapSequenceRange(first, last)]);

    [TestCase("ALL", "SearchAll{}")]
    [TestCase("ANSWERED", "SearchFlag{Flag=\"\\Answered\", IsSet=True}")]
    [TestCase("undeleted", "SearchFlag{Flag=\"\\Deleted\", IsSet=False}")]
    [TestCase("OLD", "SearchFlag{Flag=\"\\Recent\", IsSet=False}")]
    [TestCase("KEYWORD $Junk", "SearchFlag{Flag=\"$Junk\", IsSet=True}")]
    [TestCase("UNKEYWORD $Junk", "SearchFlag{Flag=\"$Junk\", IsSet=False}")]
    [TestCase("FROM \"Smith\"", "SearchHeader{Field=\"From\", Value=\"Smith\"}")]
    [TestCase("HEADER Message-ID \"<x@y>\"", "SearchHeader{Field=\"Message-ID\", Value=\"<x@y>\"}")]
    [TestCase("HEADER X-Spam \"\"", "SearchHeader{Field=\"X-Spam\", Value=\"\"}")]
    [TestCase("BODY {5+}\r\nhello", "SearchText{Value=\"hello\", IncludeHeader=False}")]
    [TestCase("TEXT \"café\"", "SearchText{Value=\"café\", IncludeHeader=True}")]
    [TestCase("SINCE 1-Feb-1994", "SearchDate{Field=Internal, Comparison=Since, Date=1994-02-01}")]
    [TestCase("SENTBEFORE \"28-feb-2024\"", "SearchDate{Field=Sent, Comparison=Before, Date=2024-02-28}")]
    [TestCase("LARGER 10000", "SearchSize{Larger=True, Size=10000}")]
    [TestCase("SMALLER 0", "SearchSize{Larger=False, Size=0}")]
    [TestCase("1:5,7", "SearchSet{Set=1:5,7, Uid=False}")]
    [TestCase("$", "SearchSet{Set=$, Uid=False}")]
    [TestCase("UID 100:*", "SearchSet{Set=100:*, Uid=True}")]
    [TestCase("MODSEQ 620162338", "SearchModSeq{ModSeq=620162338, EntryName=null, EntryType=null}")]
    [TestCase("MODSEQ \"/flags/\\\\draft\" all 620162338", "SearchModSeq{ModSeq=620162338, EntryName=\"/flags/\\draft\", EntryType=\"all\"}")]
    public void Search_key(string keys, string expected) =>
        Assert.That(Describe(Criteria(keys)), Is.EqualTo(expected));

    [Test]
    public void Search_NEW_is_RECENT_UNSEEN() =>
        Assert.That(Describe(Criteria("NEW")), Is.EqualTo(Describe(new SearchAnd([new SearchFlag("\\Recent", true), new SearchFlag("\\Seen", false)]))));

    [Test]
    public void Search_OR_NOT_and_parentheses_nest() =>
        Assert.That(Describe(Criteria("OR (FLAGGED SINCE 1-Jan-2024) NOT SEEN DELETED")), Is.EqualTo(Describe(new SearchAnd(
        [
            new SearchOr(
                new SearchAnd([new SearchFlag("\\Flagged", true), new SearchDate(SearchDateField.Internal, SearchDateComparison.Since, new DateOnly(2024, 1, 1))]),
                new SearchNot(new SearchFlag("\\Seen", true))),
            new SearchFlag("\\Deleted", true),
        ]))));

    [Test]
    public void Search_CHARSET_and_RETURN()
    {
        var search = Command<Search>("a UID SEARCH RETURN (MIN COUNT SAVE) CHARSET utf-8 SUBJECT \"€\"\r\n");
        Assert.That((search.Uid, search.Return, search.Charset), Is.EqualTo((true, (SearchReturn?)(SearchReturn.Min | SearchReturn.Count | SearchReturn.Save), "UTF-8")));
    }

    [Test]
    public void Search_RETURN_empty_means_ALL() =>
        Assert.That(Command<Search>("a SEARCH RETURN () ALL\r\n").Return, Is.EqualTo(SearchReturn.All));

    [Test]
    public void Search_without_RETURN_wants_plain_SEARCH_response() =>
        Assert.That(Command<Search>("a SEARCH ALL\r\n").Return, Is.Null);

    [TestCase("a SEARCH\r\n")]
    [TestCase("a SEARCH FROB\r\n")]
    [TestCase("a SEARCH OR SEEN\r\n")]
    [TestCase("a SEARCH (SEEN\r\n")]
    [TestCase("a SEARCH ()\r\n")]
    [TestCase("a SEARCH SINCE 30-Feb-2024\r\n")]
    [TestCase("a SEARCH SINCE 1-Foo-2024\r\n")]
    [TestCase("a SEARCH LARGER x\r\n")]
    [TestCase("a SEARCH 0\r\n")]
    [TestCase("a SEARCH 1:\r\n")]
    [TestCase("a SEARCH RETURN (BOGUS) ALL\r\n")]
    [TestCase("a SEARCH MODSEQ \"/flags/\\\\draft\" mine 1\r\n")]
    [TestCase("a SEARCH CHARSET\r\n")]
    public void Search_invalid_forms_are_BAD(string line) => Assert.That(Error(line).Tag, Is.EqualTo("a"));

    [Test]
    public void Search_nesting_at_the_limit_is_accepted()
    {
        var limits = new ImapParserLimits { MaxNestingDepth = 4 };
        Assert.That(Command<Search>("a SEARCH NOT NOT NOT SEEN\r\n", limits).Criteria, Is.InstanceOf<SearchNot>());
    }

    [TestCase("a SEARCH NOT NOT NOT NOT SEEN\r\n")]
    [TestCase("a SEARCH ((((SEEN))))\r\n")]
    [TestCase("a SEARCH OR OR OR OR SEEN SEEN SEEN SEEN SEEN\r\n")]
    public void Search_nesting_over_the_limit_is_BAD(string line) =>
        Assert.That(Error(line, new ImapParserLimits { MaxNestingDepth = 4 }).Message, Is.EqualTo("Too deeply nested"));

    [Test]
    public void Search_deep_nesting_with_default_limit_never_overflows_the_stack() =>
        Assert.That(Error("a SEARCH " + string.Concat(Enumerable.Repeat("NOT ", 1_000)) + "SEEN\r\n").Message, Is.EqualTo("Too deeply nested"));

    [Test]
    public void Search_uid_range_keeps_star() =>
        Assert.That(((SearchSet)Criteria("UID 5:*")).Set, Is.EqualTo(Set(5, null)));
}
