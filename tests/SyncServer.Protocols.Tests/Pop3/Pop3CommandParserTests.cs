using System.Buffers;
using System.Text;
using SyncServer.Protocols.Common;
using SyncServer.Protocols.Pop3;
using SyncServer.Protocols.Tests.Common;

namespace SyncServer.Protocols.Tests.Pop3;

public sealed class Pop3CommandParserTests
{
    [Test]
    public void Parses_every_command_at_every_split()
    {
        var input = "CAPA\r\nuser alice@example.org\r\nPASS correct horse \r\nAUTH PLAIN AGFAYgBj\r\nauth plain\r\nSTLS\r\nSTAT\r\n"
            + "LIST\r\nLIST 2\r\nUIDL\r\nUIDL 3\r\nRETR 1\r\nTOP 1 0\r\nDELE 4\r\nRSET\r\nNOOP\r\nQUIT\r\n";
        Assert.That(ParseAll(input), Is.EqualTo(new object[]
        {
            new Capa(), new User("alice@example.org"), new Pass("correct horse "), new Auth("PLAIN", "AGFAYgBj"), new Auth("PLAIN", null),
            new Stls(), new Stat(), new List(null), new List(2), new Uidl(null), new Uidl(3), new Retr(1), new Top(1, 0),
            new Dele(4), new Rset(), new Noop(), new Quit(),
        }));
    }

    [TestCase("RETR", "Syntax: RETR msg")]
    [TestCase("RETR 0", "Syntax: RETR msg")]
    [TestCase("RETR -1", "Syntax: RETR msg")]
    [TestCase("RETR 99999999999", "Syntax: RETR msg")]
    [TestCase("DELE x", "Syntax: DELE msg")]
    [TestCase("DELE 1\0", "Syntax: DELE msg")]
    [TestCase("TOP 1 2\0", "Syntax: TOP msg n")]
    [TestCase("TOP 1", "Syntax: TOP msg n")]
    [TestCase("TOP 1 +2", "Syntax: TOP msg n")]
    [TestCase("LIST 1 2", "Syntax: LIST [msg]")]
    [TestCase("STAT 1", "Syntax: STAT")]
    [TestCase("USER", "Syntax: USER name")]
    [TestCase("PASS", "Syntax: PASS password")]
    [TestCase("AUTH", "Syntax: AUTH mechanism [initial-response]")]
    [TestCase("APOP alice 0123", "Command unrecognized")]
    [TestCase("", "Command unrecognized")]
    public void Bad_lines_are_errors_and_the_next_command_still_parses(string line, string message)
    {
        Assert.That(ParseAll(line + "\r\nNOOP\r\n"), Is.EqualTo(new object[] { new Pop3SyntaxError(message), new Noop() }));
    }

    [Test]
    public void An_overlong_line_is_one_error_and_is_never_buffered_whole()
    {
        var limits = new Pop3ParserLimits { MaxCommandLineLength = 32 };
        var input = "USER " + new string('a', 100) + "\r\nQUIT\r\n";
        Assert.That(ParseAll(input, limits), Is.EqualTo(new object[] { Pop3SyntaxError.LineTooLong, new Quit() }));
    }

    [Test]
    public void A_bare_line_feed_is_refused_unless_allowed()
    {
        Assert.That(ParseAll("STAT\nQUIT\r\n"), Is.EqualTo(new object[] { Pop3SyntaxError.BareLineFeed, new Quit() }));
        Assert.That(ParseAll("STAT\n", new Pop3ParserLimits { AllowBareLineFeed = true }), Is.EqualTo(new object[] { new Stat() }));
    }

    [Test]
    public void The_password_is_never_printed()
    {
        Assert.That(new Pass("secret").ToString(), Does.Not.Contain("secret"));
    }

    private static List<object> ParseAll(string text, Pop3ParserLimits? limits = null)
    {
        var effective = limits ?? Pop3ParserLimits.Default;
        return SplitInput.ParseAtEverySplit(Encoding.UTF8.GetBytes(text), (bytes, readEnds) => Parse(bytes, readEnds, effective),
            results => string.Join("\n", results));
    }

    private static List<object> Parse(byte[] input, int[] readEnds, Pop3ParserLimits limits)
    {
        var results = new List<object>();
        var state = new LineState();
        SplitInput.Feed(input, readEnds, (ref SequenceReader<byte> reader) =>
        {
            while (Pop3CommandParser.TryParse(ref reader, limits, ref state, out var command, out var error))
                results.Add((object?)command ?? error!);
        });
        return results;
    }
}
