using System.Buffers;
using System.Text;
using SyncServer.Protocols.Pop3;

namespace SyncServer.Protocols.Tests.Pop3;

public sealed class Pop3ResponseWriterTests
{
    [TestCase("a\r\n.b\r\n..\r\n", "a\r\n..b\r\n...\r\n")]
    [TestCase(".\r\n", "..\r\n")]
    [TestCase("no final line end", "no final line end\r\n")]
    [TestCase("x.\r\n.", "x.\r\n..\r\n")]
    [TestCase("", "")]
    public void Content_is_dot_stuffed_and_ends_with_a_line_end(string content, string expected)
    {
        var output = new ArrayBufferWriter<byte>();
        Pop3ResponseWriter.Content(output, Encoding.ASCII.GetBytes(content));
        Assert.That(Encoding.ASCII.GetString(output.WrittenSpan), Is.EqualTo(expected));
    }

    [TestCase(0, "A: 1\r\nB: 2\r\n\r\n")]
    [TestCase(1, "A: 1\r\nB: 2\r\n\r\none\r\n")]
    [TestCase(2, "A: 1\r\nB: 2\r\n\r\none\r\ntwo\r\n")]
    [TestCase(9, "A: 1\r\nB: 2\r\n\r\none\r\ntwo\r\nthree")]
    public void Top_is_the_header_and_the_first_lines_of_the_body(int lines, string expected)
    {
        var message = Encoding.ASCII.GetBytes("A: 1\r\nB: 2\r\n\r\none\r\ntwo\r\nthree");
        Assert.That(Encoding.ASCII.GetString(Pop3ResponseWriter.Top(message, lines)), Is.EqualTo(expected));
    }

    [Test]
    public void Status_lines_carry_the_response_code()
    {
        var output = new ArrayBufferWriter<byte>();
        Pop3ResponseWriter.Ok(output, "ready");
        Pop3ResponseWriter.Err(output, "Use STLS first", "SYS/PERM");
        Assert.That(Encoding.ASCII.GetString(output.WrittenSpan), Is.EqualTo("+OK ready\r\n-ERR [SYS/PERM] Use STLS first\r\n"));
    }
}
