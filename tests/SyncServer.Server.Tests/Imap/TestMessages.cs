using MimeKit;

namespace SyncServer.Server.Tests.Imap;

/// <summary>Messages the IMAP tests append.</summary>
public static class TestMessages
{
    public static MimeMessage Simple(string subject, string body)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Alice", "alice@example.org"));
        message.To.Add(new MailboxAddress("Bob", "bob@example.org"));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    /// <summary>multipart/mixed: multipart/alternative (text, html), a PDF attachment, a forwarded message.</summary>
    public static MimeMessage NestedWithAttachment()
    {
        var message = Simple("Report with attachment", "");
        var alternative = new MultipartAlternative
        {
            new TextPart("plain") { Text = "See the report.\n" },
            new TextPart("html") { Text = "<p>See the <b>report</b>.</p>\n" },
        };
        var attachment = new MimePart("application", "pdf")
        {
            Content = new MimeContent(new MemoryStream(Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray())),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = "report.pdf" },
            ContentTransferEncoding = ContentEncoding.Base64,
        };
        var forwarded = new MessagePart { Message = Simple("Original", "forwarded text\n") };
        message.Body = new Multipart("mixed") { alternative, attachment, forwarded };
        return message;
    }

    public static byte[] Bytes(MimeMessage message)
    {
        using var stream = new MemoryStream();
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        message.WriteTo(options, stream);
        return stream.ToArray();
    }
}
