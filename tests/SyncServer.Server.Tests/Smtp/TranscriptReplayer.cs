using System.Text.RegularExpressions;
using SyncServer.Server.Smtp;

namespace SyncServer.Server.Tests.Smtp;

/// <summary>
/// Replays a <c>Transcripts/smtp/*.txt</c> file against a listener. Lines: <c>C: text</c> is sent with CRLF (a run of
/// C: lines goes out in one write: pipelining); <c>S: pattern</c> must match the next reply line, <c>*</c> matching
/// any text; <c>S: &lt;closed&gt;</c> expects the server to have closed; <c>TLS</c> starts the client's TLS
/// handshake. Headers: <c># listener: mx|submission|smtps</c>, <c># bytewise: no</c> for a transcript whose point
/// is bytes arriving together.
/// </summary>
public static partial class TranscriptReplayer
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Transcripts", "smtp");

    public static IEnumerable<string> Names => System.IO.Directory.GetFiles(Directory, "*.txt").Select(Path.GetFileNameWithoutExtension).Order()!;

    public static SmtpListenerKind Listener(string[] lines) =>
        Header(lines, "listener") is { } name ? Enum.Parse<SmtpListenerKind>(name, ignoreCase: true) : SmtpListenerKind.Mx;

    public static bool AllowsBytewise(string[] lines) => Header(lines, "bytewise") != "no";

    public static async Task ReplayAsync(SmtpTestHost host, string[] lines, bool bytewise)
    {
        var kind = Listener(lines);
        await using var client = await RawSmtpClient.ConnectAsync(host.Port(kind), implicitTls: kind == SmtpListenerKind.Smtps);
        var outgoing = new System.Text.StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("C: ", StringComparison.Ordinal) || line == "C:")
            {
                outgoing.Append(line.Length > 3 ? line[3..] : "").Append("\r\n");
                continue;
            }
            if (outgoing.Length > 0)
            {
                await client.SendAsync(outgoing.ToString(), bytewise);
                outgoing.Clear();
            }
            if (line == "TLS")
                await client.StartTlsAsync();
            else if (line.StartsWith("S: ", StringComparison.Ordinal))
                await ExpectAsync(client, line[3..], i + 1);
        }
        if (outgoing.Length > 0)
            await client.SendAsync(outgoing.ToString(), bytewise);
    }

    private static async Task ExpectAsync(RawSmtpClient client, string pattern, int lineNumber)
    {
        string? actual;
        try
        {
            actual = await client.ReadLineAsync();
        }
        catch (TimeoutException e)
        {
            Assert.Fail($"line {lineNumber}: expected '{pattern}': {e.Message}");
            return;
        }
        if (pattern == "<closed>")
        {
            Assert.That(actual, Is.Null, $"line {lineNumber}: expected the connection to be closed");
            return;
        }
        Assert.That(actual, Is.Not.Null, $"line {lineNumber}: connection closed, expected '{pattern}'");
        var regex = "^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal) + "$";
        Assert.That(Regex.IsMatch(actual!, regex), Is.True, $"line {lineNumber}: expected '{pattern}', got '{actual}'");
    }

    private static string? Header(string[] lines, string name)
    {
        foreach (var line in lines)
        {
            var match = HeaderLine().Match(line);
            if (match.Success && match.Groups[1].Value.Equals(name, StringComparison.OrdinalIgnoreCase))
                return match.Groups[2].Value.Trim();
        }
        return null;
    }

    [GeneratedRegex(@"^#\s*(\w+):\s*(.*)$")]
    private static partial Regex HeaderLine();
}
