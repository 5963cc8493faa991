using SyncServer.Protocols.Smtp;
using static SyncServer.Protocols.Tests.Smtp.CommandParsing;

namespace SyncServer.Protocols.Tests.Smtp;

public class SmtpPathTests
{
    [TestCase("MAIL FROM:<user@example.org>\r\n", "user", "example.org")]
    [TestCase("mail from:<first.last+tag@sub.example.org>\r\n", "first.last+tag", "sub.example.org")]
    [TestCase("MAIL FROM:<@relay1.example,@relay2.example:user@d.example>\r\n", "user", "d.example")]
    [TestCase("MAIL FROM:<\"john doe\"@example.org>\r\n", "john doe", "example.org")]
    [TestCase("MAIL FROM:<\"a\\\"b\\\\c\"@example.org>\r\n", "a\"b\\c", "example.org")]
    [TestCase("MAIL FROM:<user@[192.0.2.1]>\r\n", "user", "[192.0.2.1]")]
    [TestCase("MAIL FROM:<user@[IPv6:2001:db8::1]>\r\n", "user", "[IPv6:2001:db8::1]")]
    [TestCase("MAIL FROM: <user@example.org>\r\n", "user", "example.org")]
    public void MailFrom_path_forms(string line, string localPart, string domain) =>
        Assert.That(Command<MailFrom>(line).ReversePath, Is.EqualTo(new SmtpAddress(localPart, domain)));

    [Test]
    public void MailFrom_null_reverse_path() => Assert.That(Command<MailFrom>("MAIL FROM:<>\r\n").ReversePath, Is.Null);

    [TestCase("MAIL FROM:user@example.org\r\n")]
    [TestCase("MAIL FROM:<user@example.org\r\n")]
    [TestCase("MAIL FROM:<user>\r\n")]
    [TestCase("MAIL FROM:<user@>\r\n")]
    [TestCase("MAIL FROM:<user@-example.org>\r\n")]
    [TestCase("MAIL FROM:<user@example..org>\r\n")]
    [TestCase("MAIL FROM:<.user@example.org>\r\n")]
    [TestCase("MAIL FROM:<us..er@example.org>\r\n")]
    [TestCase("MAIL FROM:<\"unterminated@example.org>\r\n")]
    [TestCase("MAIL FROM:<user@[1.2.3.256]>\r\n")]
    [TestCase("MAIL FROM:<user@[IPv6:zz::1]>\r\n")]
    [TestCase("MAIL FROM:<@relay:user@example.org\r\n")]
    [TestCase("MAIL FROM:<@relay user@example.org>\r\n")]
    public void MailFrom_bad_path_is_501_5_1_7(string line) =>
        Assert.That(Error(line), Has.Property("Code").EqualTo(501).And.Property("EnhancedCode").EqualTo("5.1.7"));

    [Test]
    public void MailFrom_local_part_over_64_octets_is_refused() =>
        Assert.That(Error($"MAIL FROM:<{new string('a', 65)}@example.org>\r\n").EnhancedCode, Is.EqualTo("5.1.7"));

    [Test]
    public void MailFrom_space_after_colon_refused_when_quirk_off() =>
        Assert.That(Error("MAIL FROM: <a@b.example>\r\n", new SmtpParserLimits { AllowSpaceAfterColon = false }).Code,
            Is.EqualTo(501));

    [TestCase("MAIL <a@b.example>\r\n")]
    [TestCase("MAIL TO:<a@b.example>\r\n")]
    [TestCase("RCPT FROM:<a@b.example>\r\n")]
    public void Missing_FROM_or_TO_is_501_5_5_4(string line) =>
        Assert.That(Error(line), Has.Property("Code").EqualTo(501).And.Property("EnhancedCode").EqualTo("5.5.4"));

    [Test]
    public void RcptTo_forward_path() =>
        Assert.That(Command<RcptTo>("RCPT TO:<bob@example.org>\r\n").ForwardPath,
            Is.EqualTo(new SmtpAddress("bob", "example.org")));

    [TestCase("RCPT TO:<Postmaster>\r\n")]
    [TestCase("rcpt to:<postmaster>\r\n")]
    public void RcptTo_bare_postmaster(string line) =>
        Assert.That(Command<RcptTo>(line).ForwardPath.IsLocalPostmaster, Is.True);

    [TestCase("RCPT TO:<>\r\n")]
    [TestCase("RCPT TO:<bob>\r\n")]
    [TestCase("RCPT TO:bob@example.org\r\n")]
    public void RcptTo_bad_path_is_501_5_1_3(string line) =>
        Assert.That(Error(line), Has.Property("Code").EqualTo(501).And.Property("EnhancedCode").EqualTo("5.1.3"));

    [Test]
    public void MailFrom_utf8_address_with_SMTPUTF8()
    {
        var mail = Command<MailFrom>("MAIL FROM:<用户@例子.广告> SMTPUTF8\r\n");
        Assert.That(mail.ReversePath, Is.EqualTo(new SmtpAddress("用户", "例子.广告")));
        Assert.That(mail.ReversePath!.IsInternationalized && mail.SmtpUtf8, Is.True);
    }

    [Test]
    public void MailFrom_utf8_address_without_SMTPUTF8_is_553_5_6_7() =>
        Assert.That(Error("MAIL FROM:<josé@example.org>\r\n"), Is.EqualTo(SmtpSyntaxError.NonAsciiWithoutSmtpUtf8));

    [Test]
    public void RcptTo_utf8_address_is_marked_for_the_session() =>
        Assert.That(Command<RcptTo>("RCPT TO:<josé@example.org>\r\n").ForwardPath.IsInternationalized, Is.True);

    [Test]
    public void Invalid_utf8_in_path_is_refused()
    {
        var results = ParseAll([.. "MAIL FROM:<a"u8, 0xFF, .. "@example.org> SMTPUTF8\r\n"u8], SmtpParserLimits.Default);
        Assert.That(results.Single(), Is.InstanceOf<SmtpSyntaxError>().With.Property("Code").EqualTo(501));
    }

    [TestCase("user", "example.org", "user@example.org")]
    [TestCase("john doe", "example.org", "\"john doe\"@example.org")]
    [TestCase("a\"b", "example.org", "\"a\\\"b\"@example.org")]
    [TestCase("Postmaster", "", "Postmaster")]
    public void Address_is_written_back_quoted_only_when_needed(string local, string domain, string expected) =>
        Assert.That(new SmtpAddress(local, domain).ToString(), Is.EqualTo(expected));
}
