using System.Buffers;
using System.Text;
using SyncServer.Protocols.Smtp;
using SyncServer.Protocols.Tests.Common;

namespace SyncServer.Protocols.Tests.Smtp;

public class SmtpDataReaderTests
{
    private sealed record Outcome(string Message, SmtpReply? Rejection, bool OverlongLine, long Size, string After);

    // Reads the body whole and at every split; all must agree. "After" is what is left for the command parser.
    private static Outcome Read(string wire, SmtpBodyLimits? limits = null)
    {
        var input = Encoding.UTF8.GetBytes(wire);
        var whole = Read(input, [], limits ?? SmtpBodyLimits.Default);
        foreach (var split in SplitInput.AllSplits(input.Length))
            Assert.That(Read(input, split, limits ?? SmtpBodyLimits.Default), Is.EqualTo(whole),
                $"reads ending at {string.Join(",", split)}");
        return whole;
    }

    private static Outcome Read(byte[] input, int[] readEnds, SmtpBodyLimits limits)
    {
        var data = new SmtpDataReader(limits);
        var body = new ArrayBufferWriter<byte>();
        var after = Array.Empty<byte>();
        var done = false;
        SplitInput.Feed(input, readEnds, (ref SequenceReader<byte> reader) =>
        {
            done = done || data.TryRead(ref reader, body);
            // Once done, the rest stays unconsumed for the command parser and is offered again with each read.
            if (done)
                after = reader.UnreadSequence.ToArray();
        });
        Assert.That(done, Is.True, "terminator not found");
        var rest = Encoding.UTF8.GetString(after);
        return new Outcome(Encoding.UTF8.GetString(body.WrittenSpan), data.Rejection, data.HasOverlongLine, data.MessageSize, rest);
    }

    [Test]
    public void Terminator_ends_the_message_and_keeps_its_CRLF()
    {
        var outcome = Read("Subject: hi\r\n\r\nHello\r\n.\r\n");
        Assert.That(outcome, Is.EqualTo(new Outcome("Subject: hi\r\n\r\nHello\r\n", null, false, 22, "")));
    }

    [Test]
    public void Empty_message() => Assert.That(Read(".\r\n").Message, Is.Empty);

    [Test]
    public void Dot_stuffing_is_removed()
    {
        Assert.That(Read("..leading\r\n...\r\nmid.dle\r\n..\r\n.\r\n").Message,
            Is.EqualTo(".leading\r\n..\r\nmid.dle\r\n.\r\n"));
    }

    [Test]
    public void Pipelined_command_after_terminator_is_left_for_the_parser() =>
        Assert.That(Read("body\r\n.\r\nQUIT\r\n").After, Is.EqualTo("QUIT\r\n"));

    [TestCase("a\n.\nb\r\n.\r\n")]
    [TestCase("a\r\n.\nb\r\n.\r\n")]
    [TestCase("a\n.\r\nb\r\n.\r\n")]
    [TestCase("a\r.\r\nb\r\n.\r\n")]
    public void Smuggling_sequences_do_not_end_the_data_and_are_refused(string wire)
    {
        var outcome = Read(wire);
        Assert.That(outcome.Message, Does.EndWith("b\r\n"));
        Assert.That(outcome.Rejection, Is.EqualTo(SmtpReplies.BareLineEnding));
    }

    [Test]
    public void Bare_LF_is_normalised_with_AllowBareLineFeed()
    {
        var outcome = Read("a\nb\n..c\r\n.\r\n", new SmtpBodyLimits { AllowBareLineFeed = true });
        Assert.That((outcome.Message, outcome.Rejection), Is.EqualTo(("a\r\nb\r\n.c\r\n", (SmtpReply?)null)));
    }

    [Test]
    public void Dot_line_after_bare_LF_is_text_even_with_AllowBareLineFeed()
    {
        var outcome = Read("a\n.\r\nb\r\n.\r\n", new SmtpBodyLimits { AllowBareLineFeed = true });
        Assert.That(outcome.Message, Is.EqualTo("a\r\n.\r\nb\r\n"));
    }

    [Test]
    public void Bare_CR_is_refused_even_with_AllowBareLineFeed() =>
        Assert.That(Read("a\rb\r\n.\r\n", new SmtpBodyLimits { AllowBareLineFeed = true }).Rejection,
            Is.EqualTo(SmtpReplies.BareLineEnding));

    [Test]
    public void Message_over_the_size_limit_is_drained_then_552()
    {
        var outcome = Read("0123456789\r\n0123456789\r\n.\r\nQUIT\r\n", new SmtpBodyLimits { MaxMessageSize = 15 });
        Assert.That(outcome.Rejection, Is.EqualTo(SmtpReplies.MessageTooBig));
        Assert.That(outcome.Rejection!.EnhancedCode, Is.EqualTo("5.3.4"));
        Assert.That(outcome.Message, Is.EqualTo("0123456789\r\n012"), "nothing written past the limit");
        Assert.That((outcome.Size, outcome.After), Is.EqualTo((24L, "QUIT\r\n")));
    }

    [Test]
    public void Message_of_exactly_the_size_limit_is_accepted() =>
        Assert.That(Read("0123456789\r\n.\r\n", new SmtpBodyLimits { MaxMessageSize = 12 }).Rejection, Is.Null);

    [Test]
    public void Overlong_line_is_reported_and_kept_intact()
    {
        var line = new string('x', 20);
        var outcome = Read($"{line}\r\nshort\r\n.\r\n", new SmtpBodyLimits { MaxLineLength = 21 });
        Assert.That((outcome.OverlongLine, outcome.Message, outcome.Rejection),
            Is.EqualTo((true, $"{line}\r\nshort\r\n", (SmtpReply?)null)));
    }

    [Test]
    public void Line_of_exactly_the_limit_is_not_overlong() =>
        Assert.That(Read($"{new string('x', 20)}\r\n.\r\n", new SmtpBodyLimits { MaxLineLength = 22 }).OverlongLine, Is.False);
}
