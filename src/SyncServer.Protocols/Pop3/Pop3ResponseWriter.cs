using System.Buffers;
using System.Text;

namespace SyncServer.Protocols.Pop3;

/// <summary>Writes POP3 responses (RFC 1939 §3): status lines and dot-stuffed multi-line bodies.</summary>
public static class Pop3ResponseWriter
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();

    /// <summary><c>+OK text</c>.</summary>
    public static void Ok(IBufferWriter<byte> output, string text) => Line(output, text.Length == 0 ? "+OK" : "+OK " + text);

    /// <summary><c>-ERR [CODE] text</c>, with an extended response code of RFC 2449 §8 / RFC 3206 when given.</summary>
    public static void Err(IBufferWriter<byte> output, string text, string? code = null) =>
        Line(output, code is null ? "-ERR " + text : $"-ERR [{code}] {text}");

    /// <summary>The <c>+ </c> line that asks for a SASL response, with an empty challenge (RFC 5034 §4).</summary>
    public static void Continuation(IBufferWriter<byte> output) => output.Write("+ \r\n"u8);

    /// <summary>One line of a multi-line response that is text we made (CAPA, LIST, UIDL), dot-stuffed.</summary>
    public static void Line(IBufferWriter<byte> output, string text)
    {
        if (text.StartsWith('.'))
            output.Write("."u8);
        output.Write(Encoding.UTF8.GetBytes(text));
        output.Write(Crlf);
    }

    /// <summary>The terminating <c>.</c> line of a multi-line response.</summary>
    public static void End(IBufferWriter<byte> output) => output.Write(".\r\n"u8);

    /// <summary>
    /// Message bytes as the body of a multi-line response: every line that starts with '.' gets one more
    /// (byte-stuffing, RFC 1939 §3), and a last line without its CRLF gets one so the terminator stands alone.
    /// The caller writes <see cref="End"/> after it.
    /// </summary>
    public static void Content(IBufferWriter<byte> output, ReadOnlySpan<byte> content)
    {
        var atLineStart = true;
        while (!content.IsEmpty)
        {
            if (atLineStart && content[0] == (byte)'.')
                output.Write("."u8);
            var lineFeed = content.IndexOf((byte)'\n');
            var line = lineFeed < 0 ? content : content[..(lineFeed + 1)];
            output.Write(line);
            content = content[line.Length..];
            atLineStart = lineFeed >= 0;
        }
        if (!atLineStart)
            output.Write(Crlf);
    }

    /// <summary>
    /// The part of a message TOP sends (RFC 1939 §7): the header, the blank line after it, and the first
    /// <paramref name="lines"/> lines of the body; the whole message when it has fewer.
    /// </summary>
    public static ReadOnlySpan<byte> Top(ReadOnlySpan<byte> message, int lines)
    {
        var end = HeaderEnd(message);
        for (var i = 0; i < lines && end < message.Length; i++)
        {
            var lineFeed = message[end..].IndexOf((byte)'\n');
            end = lineFeed < 0 ? message.Length : end + lineFeed + 1;
        }
        return message[..end];
    }

    // Just after the empty line that ends the header; the whole message when it has no body.
    private static int HeaderEnd(ReadOnlySpan<byte> message)
    {
        var start = 0;
        while (start < message.Length)
        {
            var lineFeed = message[start..].IndexOf((byte)'\n');
            if (lineFeed < 0)
                return message.Length;
            var line = message.Slice(start, lineFeed);
            start += lineFeed + 1;
            if (line.IsEmpty || line.SequenceEqual("\r"u8))
                return start;
        }
        return message.Length;
    }
}
