using System.Text;
using SyncServer.Protocols.Common;
using SyncServer.Protocols.Smtp;
using static SyncServer.Protocols.Tests.Smtp.CommandParsing;

namespace SyncServer.Protocols.Tests.Smtp;

public class SmtpCommandParserTests
{
    [TestCase("EHLO mail.example.org\r\n", "mail.example.org")]
    [TestCase("ehlo [192.0.2.1]\r\n", "[192.0.2.1]")]
    [TestCase("EHLO [IPv6:2001:db8::1]\r\n", "[IPv6:2001:db8::1]")]
    [TestCase("EHLO example.org  \r\n", "example.org")]
    public void Ehlo_with_domain_or_address_literal(string line, string expected) =>
        Assert.That(Command<Ehlo>(line).DomainOrAddressLiteral, Is.EqualTo(expected));

    [TestCase("EHLO\r\n")]
    [TestCase("EHLO -bad-.org\r\n")]
    [TestCase("EHLO [300.1.1.1]\r\n")]
    [TestCase("EHLO [1.2.3]\r\n")]
    [TestCase("EHLO a b\r\n")]
    public void Ehlo_without_valid_domain_is_501(string line) =>
        Assert.That(Error(line), Has.Property("Code").EqualTo(501).And.Property("EnhancedCode").EqualTo("5.5.4"));

    [Test]
    public void Helo_is_its_own_command() =>
        Assert.That(Command<Helo>("HeLo client.example\r\n").DomainOrAddressLiteral, Is.EqualTo("client.example"));

    [TestCase("DATA\r\n", typeof(Data))]
    [TestCase("rset\r\n", typeof(Rset))]
    [TestCase("QUIT\r\n", typeof(Quit))]
    [TestCase("StartTLS\r\n", typeof(StartTls))]
    [TestCase("NOOP\r\n", typeof(Noop))]
    [TestCase("NOOP anything at all\r\n", typeof(Noop))]
    public void Commands_without_arguments(string line, Type expected) =>
        Assert.That(Command<SmtpCommand>(line), Is.TypeOf(expected));

    [TestCase("DATA now\r\n")]
    [TestCase("QUIT please\r\n")]
    [TestCase("STARTTLS x\r\n")]
    [TestCase("RSET x\r\n")]
    public void Arguments_where_none_are_allowed_are_501(string line) =>
        Assert.That(Error(line).Code, Is.EqualTo(501));

    [TestCase("HELP\r\n", null)]
    [TestCase("HELP MAIL\r\n", "MAIL")]
    public void Help_with_optional_topic(string line, string? topic) =>
        Assert.That(Command<Help>(line).Topic, Is.EqualTo(topic));

    [Test]
    public void Vrfy_takes_a_string() =>
        Assert.That(Command<Vrfy>("VRFY Smith\r\n").Argument, Is.EqualTo("Smith"));

    [Test]
    public void Vrfy_without_argument_is_501() => Assert.That(Error("VRFY\r\n").Code, Is.EqualTo(501));

    [Test]
    public void Vrfy_with_invalid_utf8_is_501()
    {
        var results = ParseAll([.. "VRFY "u8, 0xC3, 0x28, .. "\r\n"u8], SmtpParserLimits.Default);
        Assert.That(results.Single(), Is.InstanceOf<SmtpSyntaxError>().With.Property("Code").EqualTo(501));
    }

    [TestCase("BDAT 1000\r\n", 1000L, false)]
    [TestCase("BDAT 0 LAST\r\n", 0L, true)]
    [TestCase("bdat 9223372036854775807 last\r\n", long.MaxValue, true)]
    public void Bdat_size_and_last(string line, long size, bool last) =>
        Assert.That(Command<Bdat>(line), Is.EqualTo(new Bdat(size, last)));

    [TestCase("BDAT\r\n")]
    [TestCase("BDAT -1\r\n")]
    [TestCase("BDAT 12 FIRST\r\n")]
    [TestCase("BDAT 9223372036854775808\r\n")]
    [TestCase("BDAT 1x\r\n")]
    public void Bdat_invalid_forms_are_501(string line) => Assert.That(Error(line).Code, Is.EqualTo(501));

    [TestCase("AUTH PLAIN\r\n", "PLAIN", null)]
    [TestCase("auth plain AGFsaWNlAHNlY3JldA==\r\n", "PLAIN", "AGFsaWNlAHNlY3JldA==")]
    [TestCase("AUTH EXTERNAL =\r\n", "EXTERNAL", "=")]
    [TestCase("AUTH SCRAM-SHA-256\r\n", "SCRAM-SHA-256", null)]
    public void Auth_mechanism_and_initial_response(string line, string mechanism, string? response) =>
        Assert.That(Command<Auth>(line), Is.EqualTo(new Auth(mechanism, response)));

    [TestCase("AUTH\r\n")]
    [TestCase("AUTH PL@IN\r\n")]
    [TestCase("AUTH PLAIN not*base64\r\n")]
    [TestCase("AUTH PLAIN AGFs aWNl\r\n")]
    public void Auth_invalid_forms_are_501(string line) => Assert.That(Error(line).Code, Is.EqualTo(501));

    [TestCase("EXPN list\r\n")]
    [TestCase("FOO\r\n")]
    [TestCase("\r\n")]
    [TestCase("VERYLONGVERB\r\n")]
    public void Unknown_commands_are_500_5_5_1(string line) =>
        Assert.That(Error(line), Is.EqualTo(SmtpSyntaxError.UnknownCommand));

    [Test]
    public void Bare_LF_is_refused_by_default() =>
        Assert.That(Error("NOOP\n"), Is.EqualTo(SmtpSyntaxError.BareLineFeed));

    [Test]
    public void Bare_LF_is_accepted_with_AllowBareLineFeed() =>
        Assert.That(Command<Noop>("NOOP\n", new SmtpParserLimits { AllowBareLineFeed = true }), Is.Not.Null);

    [Test]
    public void Incomplete_line_needs_more_bytes() => Assert.That(ParseAll("MAIL FROM:<a@b>"), Is.Empty);

    [Test]
    public void Pipelined_commands_in_one_buffer_come_out_in_order()
    {
        var results = ParseAll("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nBOGUS\r\nDATA\r\n");
        Assert.That(results.Select(r => r.GetType().Name),
            Is.EqualTo(new[] { "MailFrom", "RcptTo", "SmtpSyntaxError", "Data" }));
    }

    [Test]
    public void Line_of_exactly_the_limit_is_accepted()
    {
        var limits = new SmtpParserLimits { MaxCommandLineLength = 64 };
        var line = "NOOP " + new string('x', 64 - 7) + "\r\n";
        Assert.That(Command<Noop>(line, limits), Is.Not.Null);
    }

    [Test]
    public void Overlong_line_is_one_500_and_the_next_command_still_parses()
    {
        var limits = new SmtpParserLimits { MaxCommandLineLength = 64 };
        var input = "NOOP " + new string('x', 200) + "\r\nQUIT\r\n";
        var results = ParseAll(input, limits);
        Assert.That(results, Is.EqualTo(new object[] { SmtpSyntaxError.LineTooLong, new Quit() }));
        Assert.That(SmtpSyntaxError.LineTooLong.ToReply(), Has.Property("Code").EqualTo(500));
    }

    [Test]
    public void Overlong_line_is_not_buffered_while_its_end_is_missing()
    {
        var limits = new SmtpParserLimits { MaxCommandLineLength = 64 };
        var state = new LineState();
        var chunk = new System.Buffers.ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(new string('x', 100)));
        var reader = new System.Buffers.SequenceReader<byte>(chunk);
        Assert.That(SmtpCommandParser.TryParse(ref reader, limits, ref state, out _, out _), Is.False);
        Assert.That(reader.Remaining, Is.Zero, "the parser consumed the overlong bytes instead of holding them");
    }

    [Test]
    public void Nul_in_command_is_an_error_not_an_exception() =>
        Assert.That(ParseAll("NO\0OP\r\nMAIL FROM:<a\0@b>\r\n").All(r => r is SmtpSyntaxError));
}
