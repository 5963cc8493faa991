using System.Buffers;
using System.Text;
using SyncServer.Protocols.Imap;
using static SyncServer.Protocols.Tests.Imap.ImapParsing;

namespace SyncServer.Protocols.Tests.Imap;

public class ImapFramingTests
{
    private static readonly ImapParserLimits Small = new() { MaxLiteralSize = 10, MaxLineLength = 64 };

    [Test]
    public void Login_with_synchronizing_literal_asks_for_continuation_once()
    {
        var results = ParseAll("a1 LOGIN {5}\r\nalice secret\r\n");
        Assert.That(results, Has.Count.EqualTo(2));
        Assert.That(results[0], Is.EqualTo(new ImapContinuationRequest("a1", 5)));
        Assert.That(results[1], Is.EqualTo(new Login("a1", "alice", "secret")));
    }

    [Test]
    public void Login_with_two_literals_asks_twice()
    {
        var results = ParseAll("a1 LOGIN {5}\r\nalice {6}\r\nsecret\r\n");
        Assert.That(results.OfType<ImapContinuationRequest>().Select(c => c.LiteralSize), Is.EqualTo(new long[] { 5, 6 }));
        Assert.That(results[^1], Is.EqualTo(new Login("a1", "alice", "secret")));
    }

    [Test]
    public void Login_with_LITERAL_plus_needs_no_continuation()
    {
        var results = ParseAll("a1 LOGIN {5+}\r\nalice {6+}\r\nsecret\r\n");
        Assert.That(results, Is.EqualTo(new[] { new Login("a1", "alice", "secret") }));
    }

    [Test]
    public void Literal_may_contain_CRLF_and_braces()
    {
        var (_, message) = Append("A APPEND INBOX {14+}\r\nSubject: {3}\r\n\r\n");
        Assert.That(Encoding.ASCII.GetString(message), Is.EqualTo("Subject: {3}\r\n"));
    }

    [Test]
    public void Append_with_literal8_is_binary_and_keeps_NUL()
    {
        var (append, message) = Append("A APPEND INBOX ~{3+}\r\na\0b\r\n");
        Assert.That(append.Binary, Is.True);
        Assert.That(message, Is.EqualTo(new byte[] { (byte)'a', 0, (byte)'b' }));
    }

    [Test]
    public void NUL_in_plain_literal_is_BAD_after_the_message()
    {
        var results = ParseAll("A APPEND INBOX {3+}\r\na\0b\r\nB NOOP\r\n");
        Assert.That(results.Skip(1), Is.EqualTo(new ImapParseOutcome[] { new ImapSyntaxError("A", "NUL in literal; use literal8"), new Noop("B") }));
    }

    [Test]
    public void Append_comes_out_when_its_message_literal_is_announced_and_the_session_answers_it()
    {
        var results = ParseAll("A APPEND {6}\r\nDrafts (\\Seen) {4}\r\nbody\r\n");
        Assert.That(results, Is.EqualTo(new ImapParseOutcome[]
        {
            new ImapContinuationRequest("A", 6), // the mailbox literal: the parser asks for it as for any literal
            new Append("A", "Drafts", ["\\Seen"], null, 4, Binary: false, Synchronizing: true),
            new AppendedMessage("body"u8.ToArray()),
        }).Using<ImapParseOutcome>((a, b) => Describe(a) == Describe(b)));
    }

    [Test]
    public void Append_with_a_second_message_is_BAD_and_its_literals_are_skipped()
    {
        var results = ParseAll("A APPEND INBOX {1+}\r\nx (\\Seen) {3+}\r\nB N\r\nC NOOP\r\n");
        Assert.That(results.Skip(1), Is.EqualTo(new ImapParseOutcome[]
        {
            new ImapSyntaxError("A", "APPEND takes one message (MULTIAPPEND is not offered)"), new Noop("C"),
        }));
    }

    [Test]
    public void Append_abandoned_before_its_synchronizing_literal_goes_on_with_the_next_command()
    {
        var state = new ImapCommandState();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>("A APPEND Nowhere {5}\r\nB NOOP\r\n"u8.ToArray()));
        Assert.That(ImapCommandParser.TryParse(ref reader, ImapParserLimits.Default, ref state, out var append), Is.True);
        Assert.That(append, Is.TypeOf<Append>());
        ImapCommandParser.AbandonAppend(ref state);
        Assert.That(ImapCommandParser.TryParse(ref reader, ImapParserLimits.Default, ref state, out var next), Is.True);
        Assert.That(next, Is.EqualTo(new Noop("B")));
    }

    [Test]
    public void Invalid_APPEND_arguments_are_BAD_before_the_message_is_read()
    {
        var results = ParseAll("A APPEND INBOX (\\Seen {3+}\r\nabc\r\nB NOOP\r\n");
        Assert.That(results.Select(r => r.GetType().Name), Is.EqualTo(new[] { "ImapSyntaxError", "Noop" }));
    }

    [Test]
    public void Synchronizing_literal_over_MaxLiteralSize_is_NO_TOOBIG_before_reading_it()
    {
        var results = ParseAll("A APPEND INBOX {11}\r\nB NOOP\r\n", Small);
        Assert.That(results, Is.EqualTo(new ImapParseOutcome[]
        {
            new ImapSyntaxError("A", "Literal too big", ImapStatus.No, ImapResponseCode.TooBig),
            new Noop("B"),
        }));
    }

    [Test]
    public void LITERAL_plus_over_MaxLiteralSize_is_skipped_then_NO_TOOBIG()
    {
        var results = ParseAll("A APPEND INBOX {11+}\r\nB NOOP\r\nxx\r\nC NOOP\r\n", Small);
        Assert.That(results, Is.EqualTo(new ImapParseOutcome[]
        {
            new ImapSyntaxError("A", "Literal too big", ImapStatus.No, ImapResponseCode.TooBig),
            new Noop("C"),
        }));
    }

    [Test]
    public void LITERAL_minus_refuses_non_synchronizing_literal_over_4096_and_skips_it()
    {
        var limits = new ImapParserLimits { MaxNonSynchronizingLiteralSize = 4 };
        var results = ParseAll("A LOGIN {5+}\r\nalice {5+}\r\nbobby\r\nB NOOP\r\n", limits);
        Assert.That(results, Has.Count.EqualTo(2));
        Assert.That(results[0], Is.EqualTo(new ImapSyntaxError("A", "Non-synchronizing literal too big", ImapStatus.Bad, ImapResponseCode.TooBig)));
        Assert.That(results[1], Is.EqualTo(new Noop("B")));
    }

    [Test]
    public void LITERAL_minus_still_accepts_synchronizing_literals_up_to_the_limit()
    {
        var limits = new ImapParserLimits { MaxNonSynchronizingLiteralSize = 4 };
        Assert.That(Command<Login>("A LOGIN {5}\r\nalice bob\r\n", limits).UserName, Is.EqualTo("alice"));
    }

    [Test]
    public void Too_many_literals_in_one_command_is_refused()
    {
        var limits = new ImapParserLimits { MaxLiteralsPerCommand = 1 };
        var results = ParseAll("A LOGIN {1+}\r\na {1+}\r\nb\r\nB NOOP\r\n", limits);
        Assert.That(results.Select(r => r.GetType().Name), Is.EqualTo(new[] { "ImapSyntaxError", "Noop" }));
    }

    [Test]
    public void Overlong_line_is_one_BAD_and_the_next_command_is_parsed()
    {
        var results = ParseAll("A SELECT " + new string('x', 80) + "\r\nB NOOP\r\n", Small);
        Assert.That(results, Is.EqualTo(new ImapParseOutcome[] { new ImapSyntaxError("A", "Command line too long"), new Noop("B") }));
    }

    [Test]
    public void Overlong_line_ending_in_LITERAL_plus_skips_the_literal_too()
    {
        var results = ParseAll("A X " + new string('x', 80) + " {4+}\r\nB NO\r\nC NOOP\r\n", Small);
        Assert.That(results, Is.EqualTo(new ImapParseOutcome[] { new ImapSyntaxError("A", "Command line too long"), new Noop("C") }));
    }

    [Test]
    public void Line_limit_excludes_literals()
    {
        var limits = Small with { MaxLiteralSize = 200 };
        var (_, message) = Append("A APPEND INBOX {100+}\r\n" + new string('m', 100) + "\r\n", limits);
        Assert.That(message, Has.Length.EqualTo(100));
    }

    [Test]
    public void Pipelined_commands_in_one_buffer_come_out_in_order()
    {
        var results = ParseAll("a NOOP\r\nb LOGIN {1+}\r\nu p\r\nc bogus\r\nd CAPABILITY\r\n");
        Assert.That(results.Select(r => r.GetType().Name), Is.EqualTo(new[] { "Noop", "Login", "ImapSyntaxError", "Capability" }));
        Assert.That(((ImapSyntaxError)results[2]).Tag, Is.EqualTo("c"));
    }

    [Test]
    public void Bare_LF_is_BAD() =>
        Assert.That(Error("a NOOP\n").Message, Is.EqualTo("Command line must end with CRLF"));

    [TestCase("\r\n")]
    [TestCase("+x NOOP\r\n")]
    public void Command_without_a_tag_gets_untagged_BAD(string line) => Assert.That(Error(line).Tag, Is.Null);

    [Test]
    public void Lone_word_is_a_tag_without_command() => Assert.That(Error("NOOP\r\n").Tag, Is.EqualTo("NOOP"));

    [Test]
    public void Unknown_command_is_tagged_BAD() =>
        Assert.That(Error("x1 FROB\r\n").ToResponse(), Is.EqualTo(new ImapStatusResponse("x1", ImapStatus.Bad, null, "Unknown command FROB")));

    [Test]
    public void Literal_shorter_than_its_announcement_at_line_end_is_still_framed_by_size()
    {
        // The literal swallows "b NOOP" because the client said 8 octets follow.
        var results = ParseAll("a LOGIN {8+}\r\nb NOOP\r\n x\r\n");
        Assert.That(results.Single(), Is.EqualTo(new Login("a", "b NOOP\r\n", "x")));
    }

    [Test]
    public void Idle_then_DONE_read_as_a_line()
    {
        var input = Encoding.ASCII.GetBytes("a IDLE\r\nDONE\r\nb NOOP\r\n");
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));
        var state = new ImapCommandState();
        Assert.That(ImapCommandParser.TryParse(ref reader, ImapParserLimits.Default, ref state, out var idle), Is.True);
        Assert.That(idle, Is.EqualTo(new Idle("a")));
        Assert.That(ImapCommandParser.TryParseLine(ref reader, ImapParserLimits.Default, ref state, out var line, out var error), Is.True);
        Assert.That((line, error), Is.EqualTo(("DONE", (ImapSyntaxError?)null)));
        Assert.That(ImapCommandParser.TryParse(ref reader, ImapParserLimits.Default, ref state, out var noop), Is.True);
        Assert.That(noop, Is.EqualTo(new Noop("b")));
    }

    [Test]
    public void Sasl_line_with_a_brace_is_just_text()
    {
        var input = Encoding.ASCII.GetBytes("abc{5}\r\n");
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));
        var state = new ImapCommandState();
        Assert.That(ImapCommandParser.TryParseLine(ref reader, ImapParserLimits.Default, ref state, out var line, out _), Is.True);
        Assert.That(line, Is.EqualTo("abc{5}"));
        Assert.That(reader.End, Is.True);
    }
}
