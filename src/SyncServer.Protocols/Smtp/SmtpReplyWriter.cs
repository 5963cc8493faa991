using System.Buffers;
using System.Text;

namespace SyncServer.Protocols.Smtp;

/// <summary>Serialises <see cref="SmtpReply"/> values: <c>250-first</c> … <c>250 last</c>, CRLF after each.</summary>
public static class SmtpReplyWriter
{
    public static void Write(IBufferWriter<byte> output, SmtpReply reply)
    {
        if (reply.Code is < 200 or > 599)
            throw new ArgumentException($"Reply code {reply.Code} is not a three-digit SMTP code.", nameof(reply));
        if (reply.Lines.Count == 0)
            throw new ArgumentException("A reply has at least one line.", nameof(reply));
        for (var i = 0; i < reply.Lines.Count; i++)
        {
            var text = reply.Lines[i];
            // A CR or LF inside a line would let the text forge further replies.
            if (text.AsSpan().IndexOfAny('\r', '\n') >= 0)
                throw new ArgumentException("Reply text must not contain CR or LF.", nameof(reply));
            var separator = i == reply.Lines.Count - 1 ? ' ' : '-';
            var line = reply.EnhancedCode is null
                ? $"{reply.Code}{separator}{text}\r\n"
                : $"{reply.Code}{separator}{reply.EnhancedCode} {text}\r\n";
            Encoding.UTF8.GetBytes(line, output);
        }
    }
}
