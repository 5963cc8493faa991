using SyncServer.Protocols.Smtp;
using static SyncServer.Protocols.Tests.Smtp.CommandParsing;

namespace SyncServer.Protocols.Tests.Smtp;

public class SmtpParameterTests
{
    [Test]
    public void MailFrom_with_SIZE_and_BODY_8BITMIME()
    {
        var mail = Command<MailFrom>("MAIL FROM:<a@example.org> SIZE=12345 BODY=8BITMIME\r\n");
        Assert.That((mail.Size, mail.Body), Is.EqualTo(((long?)12345, (SmtpBodyType?)SmtpBodyType.EightBitMime)));
    }

    [TestCase("7bit", SmtpBodyType.SevenBit)]
    [TestCase("BINARYMIME", SmtpBodyType.BinaryMime)]
    public void MailFrom_BODY_values(string value, SmtpBodyType expected) =>
        Assert.That(Command<MailFrom>($"MAIL FROM:<a@example.org> body={value}\r\n").Body, Is.EqualTo(expected));

    [Test]
    public void MailFrom_with_all_DSN_parameters_and_AUTH()
    {
        var mail = Command<MailFrom>("MAIL FROM:<> RET=HDRS ENVID=QQ314159+2Bx AUTH=e+3Dmc2@example.com\r\n");
        Assert.That(mail, Is.EqualTo(new MailFrom(null, null, null, false, DsnReturn.Headers, "QQ314159+x", "e=mc2@example.com", mail.Extensions)));
        Assert.That(mail.Extensions, Is.Empty);
    }

    [Test]
    public void MailFrom_RET_FULL() =>
        Assert.That(Command<MailFrom>("MAIL FROM:<a@b.example> RET=full\r\n").Ret, Is.EqualTo(DsnReturn.Full));

    [Test]
    public void MailFrom_SIZE_largest_long() =>
        Assert.That(Command<MailFrom>("MAIL FROM:<a@b.example> SIZE=9223372036854775807\r\n").Size, Is.EqualTo(long.MaxValue));

    [TestCase("SIZE=9223372036854775808")]
    [TestCase("SIZE=123456789012345678901")]
    [TestCase("SIZE=-1")]
    [TestCase("SIZE=12k")]
    [TestCase("SIZE")]
    [TestCase("BODY=9BIT")]
    [TestCase("SMTPUTF8=yes")]
    [TestCase("RET=ALL")]
    [TestCase("ENVID=a+2")]
    [TestCase("ENVID=a+0A")]
    [TestCase("AUTH=+zz")]
    [TestCase("SIZE=1 SIZE=2")]
    [TestCase("size=1 SIZE=1")]
    [TestCase("=x")]
    [TestCase("SIZE=1=2")]
    public void MailFrom_bad_parameter_is_501_5_5_4(string parameters) =>
        Assert.That(Error($"MAIL FROM:<a@b.example> {parameters}\r\n"),
            Has.Property("Code").EqualTo(501).And.Property("EnhancedCode").EqualTo("5.5.4"));

    [Test]
    public void MailFrom_ENVID_over_100_characters_is_refused() =>
        Assert.That(Error($"MAIL FROM:<a@b.example> ENVID={new string('x', 101)}\r\n").Code, Is.EqualTo(501));

    [Test]
    public void MailFrom_parameter_glued_to_path_is_refused() =>
        Assert.That(Error("MAIL FROM:<a@b.example>SIZE=1\r\n").Code, Is.EqualTo(501));

    [Test]
    public void MailFrom_unknown_parameter_is_555() =>
        Assert.That(Error("MAIL FROM:<a@b.example> HOLDFOR=10\r\n"),
            Has.Property("Code").EqualTo(555).And.Property("EnhancedCode").EqualTo("5.5.4"));

    [Test]
    public void MailFrom_additional_parameter_the_session_declared_is_passed_through()
    {
        var limits = new SmtpParserLimits { AdditionalMailParameters = new HashSet<string> { "REQUIRETLS", "MT-PRIORITY" } };
        var mail = Command<MailFrom>("MAIL FROM:<a@b.example> requiretls MT-PRIORITY=3\r\n", limits);
        Assert.That(mail.Extensions, Is.EqualTo(new[] { new SmtpParameter("REQUIRETLS", null), new SmtpParameter("MT-PRIORITY", "3") }));
    }

    [Test]
    public void RcptTo_with_NOTIFY_and_ORCPT()
    {
        var rcpt = Command<RcptTo>("RCPT TO:<b@example.org> NOTIFY=SUCCESS,delay ORCPT=rfc822;b+2Bx@example.org\r\n");
        Assert.That(rcpt.Notify, Is.EqualTo(DsnNotify.Success | DsnNotify.Delay));
        Assert.That(rcpt.Orcpt, Is.EqualTo(new OriginalRecipient("rfc822", "b+x@example.org")));
    }

    [Test]
    public void RcptTo_NOTIFY_NEVER() =>
        Assert.That(Command<RcptTo>("RCPT TO:<b@example.org> NOTIFY=NEVER\r\n").Notify, Is.EqualTo(DsnNotify.Never));

    [TestCase("NOTIFY=NEVER,SUCCESS")]
    [TestCase("NOTIFY=SUCCESS,SUCCESS")]
    [TestCase("NOTIFY=SOMETIMES")]
    [TestCase("NOTIFY=")]
    [TestCase("ORCPT=b@example.org")]
    [TestCase("ORCPT=rfc822;")]
    [TestCase("ORCPT=rfc822;a+GG")]
    [TestCase("NOTIFY=NEVER NOTIFY=NEVER")]
    public void RcptTo_bad_DSN_parameter_is_501(string parameters) =>
        Assert.That(Error($"RCPT TO:<b@example.org> {parameters}\r\n").Code, Is.EqualTo(501));

    [Test]
    public void RcptTo_unknown_parameter_is_555() =>
        Assert.That(Error("RCPT TO:<b@example.org> SIZE=1\r\n").Code, Is.EqualTo(555));

    [TestCase("abc", "abc")]
    [TestCase("a+2Bb+3Dc", "a+b=c")]
    [TestCase("+E2+82+AC@example.org", "€@example.org")]
    public void Orcpt_xtext_is_decoded(string xtext, string expected) =>
        Assert.That(Command<RcptTo>($"RCPT TO:<b@example.org> ORCPT=rfc822;{xtext}\r\n").Orcpt!.Address, Is.EqualTo(expected));

    [TestCase("+2b")]
    [TestCase("+FF")]
    [TestCase("a+")]
    public void Orcpt_bad_xtext_is_501(string xtext) =>
        Assert.That(Error($"RCPT TO:<b@example.org> ORCPT=rfc822;{xtext}\r\n").Code, Is.EqualTo(501));
}
