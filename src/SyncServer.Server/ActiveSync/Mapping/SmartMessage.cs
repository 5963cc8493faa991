using System.Globalization;
using System.Net;
using MimeKit;

namespace SyncServer.Server.ActiveSync.Mapping;

/// <summary>
/// The outgoing message of SmartReply and SmartForward without ReplaceMime (MS-ASCMD 2.2.1.19, 2.2.1.20;
/// client-requirements EAS-SM-02): the client sends only its new text and the server adds the original — quoted
/// below a reply, appended below a forward together with all of the original's attachments.
/// </summary>
public static class SmartMessage
{
    public static void AppendQuoted(MimeMessage reply, MimeMessage original)
    {
        var intro = $"On {Date(original)}, {original.From} wrote:";
        var text = original.TextBody ?? "";
        var quoted = string.Join("\r\n", text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').Select(line => line.Length == 0 ? ">" : "> " + line));
        AppendToBody(reply,
            plain: $"\r\n\r\n{intro}\r\n{quoted}\r\n",
            html: $"<p>{WebUtility.HtmlEncode(intro)}</p><blockquote type=\"cite\">{OriginalHtml(original)}</blockquote>");
        if (reply.InReplyTo is null && original.MessageId is { } id)
        {
            reply.InReplyTo = id;
            foreach (var reference in original.References.Append(id))
                reply.References.Add(reference);
        }
    }

    public static void AppendForwarded(MimeMessage forward, MimeMessage original)
    {
        var header = $"---------- Forwarded message ----------\r\nFrom: {original.From}\r\nDate: {Date(original)}\r\n"
            + $"Subject: {original.Subject}\r\nTo: {original.To}\r\n";
        AppendToBody(forward,
            plain: $"\r\n\r\n{header}\r\n{original.TextBody ?? ""}",
            html: $"<p>{WebUtility.HtmlEncode(header).ReplaceLineEndings("<br>")}</p>{OriginalHtml(original)}");
        var attachments = MailAttachments.Of(original);
        if (attachments.Count == 0)
            return;
        if (forward.Body is not Multipart mixed || !mixed.ContentType.IsMimeType("multipart", "mixed"))
        {
            mixed = new Multipart("mixed");
            if (forward.Body is { } body)
                mixed.Add(body);
            forward.Body = mixed;
        }
        foreach (var attachment in attachments)
            mixed.Add(attachment.Entity);
    }

    /// <summary>Appends to every text body part of the client's message: the plain text to text/plain, the HTML before <c>&lt;/body&gt;</c> of text/html.</summary>
    private static void AppendToBody(MimeMessage message, string plain, string html)
    {
        foreach (var part in message.BodyParts.OfType<TextPart>().Where(p => !p.IsAttachment).ToList())
        {
            if (part.IsPlain)
                part.Text = part.Text.TrimEnd() + plain;
            else if (part.IsHtml)
            {
                var text = part.Text;
                var end = text.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
                part.Text = end < 0 ? text + html : text[..end] + html + text[end..];
            }
            else
                continue;
            part.ContentTransferEncoding = part.GetBestEncoding(EncodingConstraint.SevenBit);
        }
    }

    /// <summary>The original's HTML without its document wrapper (what is inside <c>&lt;body&gt;</c>), or its text as preformatted HTML.</summary>
    private static string OriginalHtml(MimeMessage original)
    {
        if (original.HtmlBody is not { } html)
            return "<pre>" + WebUtility.HtmlEncode(original.TextBody ?? "") + "</pre>";
        var body = html.IndexOf("<body", StringComparison.OrdinalIgnoreCase);
        var start = body < 0 ? -1 : html.IndexOf('>', body);
        var end = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        return start >= 0 && end > start ? html[(start + 1)..end] : html;
    }

    private static string Date(MimeMessage message) => message.Date.ToString("R", CultureInfo.InvariantCulture);
}
