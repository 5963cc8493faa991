using System.Buffers;
using System.Text;
using SyncServer.Protocols.Smtp;

namespace SyncServer.Protocols.Tests.Smtp;

public class SmtpReplyWriterTests
{
    private static string Write(SmtpReply reply)
    {
        var output = new ArrayBufferWriter<byte>();
        SmtpReplyWriter.Write(output, reply);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Test]
    public void Single_line_reply_with_enhanced_code() =>
        Assert.That(Write(SmtpReplies.RecipientOk), Is.EqualTo("250 2.1.5 Recipient OK\r\n"));

    [Test]
    public void Multi_line_reply_repeats_the_enhanced_code_on_every_line() =>
        Assert.That(Write(new SmtpReply(550, "5.7.1", ["Relaying denied", "see the policy"])),
            Is.EqualTo("550-5.7.1 Relaying denied\r\n550 5.7.1 see the policy\r\n"));

    [Test]
    public void Syntax_error_reply() =>
        Assert.That(Write(SmtpSyntaxError.LineTooLong.ToReply()), Is.EqualTo("500 5.5.2 Line too long\r\n"));

    [Test]
    public void Ehlo_reply_lists_extensions_without_enhanced_codes()
    {
        var reply = SmtpReplies.Ehlo("mx.example.org", "Hello client.example", [
            SmtpExtensions.Pipelining, SmtpExtensions.Size(52428800), SmtpExtensions.EightBitMime,
            SmtpExtensions.Auth(["PLAIN", "LOGIN"]), SmtpExtensions.EnhancedStatusCodes,
        ]);
        Assert.That(Write(reply), Is.EqualTo(
            "250-mx.example.org Hello client.example\r\n" +
            "250-PIPELINING\r\n" +
            "250-SIZE 52428800\r\n" +
            "250-8BITMIME\r\n" +
            "250-AUTH PLAIN LOGIN\r\n" +
            "250 ENHANCEDSTATUSCODES\r\n"));
    }

    [Test]
    public void Greeting_and_start_mail_input() =>
        Assert.That(Write(SmtpReplies.Greeting("mx.example.org")) + Write(SmtpReplies.StartMailInput),
            Is.EqualTo("220 mx.example.org ESMTP ready\r\n354 End data with <CR><LF>.<CR><LF>\r\n"));

    [Test]
    public void Ehlo_extension_must_start_with_a_keyword() =>
        Assert.That(() => SmtpReplies.Ehlo("mx", "hi", ["-BAD"]), Throws.ArgumentException);

    [Test]
    public void Reply_text_with_CRLF_is_refused() =>
        Assert.That(() => Write(new SmtpReply(250, null, "ok\r\n250 forged")), Throws.ArgumentException);

    [Test]
    public void Reply_without_lines_is_refused() =>
        Assert.That(() => Write(new SmtpReply(250, null, Array.Empty<string>())), Throws.ArgumentException);
}
