using System.Text;

namespace SyncServer.Bench.Smtp;

/// <summary>Test messages: a header block per message and a shared text body of 76-character lines (already dot-safe).</summary>
public static class Messages
{
    public static byte[] Header(string recipient) => Encoding.ASCII.GetBytes(
        $"From: <bench@client.test>\r\nTo: <{recipient}>\r\nSubject: bench\r\nMessage-ID: <{Guid.NewGuid():N}@client.test>\r\n" +
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");

    /// <summary>About <paramref name="bytes"/> octets of body (a whole number of lines).</summary>
    public static byte[] Body(int bytes)
    {
        var line = Encoding.ASCII.GetBytes(new string('x', 74) + "\r\n");
        var body = new byte[Math.Max(1, bytes / line.Length) * line.Length];
        for (var offset = 0; offset < body.Length; offset += line.Length)
            line.CopyTo(body, offset);
        return body;
    }
}
