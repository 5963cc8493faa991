using System.Text.RegularExpressions;
namespace SyncServer.Server.Tests.Shared;

/// <summary>
/// Replays a <c>Transcripts/&lt;protocol&gt;/*.txt</c> file against a line-protocol listener (SMTP, POP3). Lines: <c>C: text</c> is sent with CRLF (a run of
/// C: lines goes out in one write: pipelining); <c>S: pattern</c> must match the next reply line, <c>*</c> matching
/// any text; <c>S: &lt;closed&gt;</c> expects the server to have closed; <c>TLS</c> starts the client's TLS
/// handshake, <c>DEFLATE</c> its compression (IMAP COMPRESS). Headers (<c># name: value</c>, read with <see cref="Header"/>): <c># listener: ...</c> names the
/// listener for the protocol's tests to pick, <c># bytewise: no</c> marks a transcript whose point is bytes arriving
/// together. <c>${name}</c> in an S: line captures a number the server chose (a UIDVALIDITY, a MODSEQ) the first
/// time and must match it again later; in a C: line it is replaced by the captured number.
/// </summary>
public static partial class TranscriptReplayer
{
    public static string Directory(string protocol) => Path.Combine(AppContext.BaseDirectory, "Transcripts", protocol);

    /// <summary>Every transcript of the protocol, whole and (unless it says otherwise) one byte per write.</summary>
    public static IEnumerable<TestCaseData> Cases(string protocol)
    {
        foreach (var file in System.IO.Directory.GetFiles(Directory(protocol), "*.txt").Order())
        {
            var name = Path.GetFileNameWithoutExtension(file);
            yield return new TestCaseData(name, false).SetName($"{name} (whole)");
            if (Header(File.ReadAllLines(file), "bytewise") != "no")
                yield return new TestCaseData(name, true).SetName($"{name} (bytewise)");
        }
    }

    public static string[] Lines(string protocol, string name) => File.ReadAllLines(Path.Combine(Directory(protocol), name + ".txt"));

    public static async Task ReplayAsync(int port, bool implicitTls, string[] lines, bool bytewise)
    {
        await using var client = await RawLineClient.ConnectAsync(port, implicitTls);
        var outgoing = new System.Text.StringBuilder();
        var captured = new Dictionary<string, string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("C: ", StringComparison.Ordinal) || line == "C:")
            {
                var text = Variable().Replace(line.Length > 3 ? line[3..] : "", m => captured[m.Groups[1].Value]);
                outgoing.Append(text).Append("\r\n");
                continue;
            }
            if (outgoing.Length > 0)
            {
                await client.SendAsync(outgoing.ToString(), bytewise);
                outgoing.Clear();
            }
            if (line == "TLS")
                await client.StartTlsAsync();
            else if (line == "DEFLATE")
                client.StartDeflate();
            else if (line.StartsWith("S: ", StringComparison.Ordinal))
                await ExpectAsync(client, line[3..], i + 1, captured);
        }
        if (outgoing.Length > 0)
            await client.SendAsync(outgoing.ToString(), bytewise);
    }

    private static async Task ExpectAsync(RawLineClient client, string pattern, int lineNumber, Dictionary<string, string> captured)
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
        var regex = new System.Text.StringBuilder("^");
        var at = 0;
        foreach (Match variable in Variable().Matches(pattern))
        {
            regex.Append(Literal(pattern[at..variable.Index]));
            var name = variable.Groups[1].Value;
            regex.Append(captured.TryGetValue(name, out var value) ? Regex.Escape(value) : $"(?<{name}>\\d+)");
            at = variable.Index + variable.Length;
        }
        regex.Append(Literal(pattern[at..])).Append('$');
        var match = Regex.Match(actual!, regex.ToString());
        Assert.That(match.Success, Is.True, $"line {lineNumber}: expected '{pattern}', got '{actual}'");
        foreach (var group in match.Groups.Values.Where(g => g.Name.Length > 0 && !char.IsDigit(g.Name[0])))
            captured[group.Name] = group.Value;
    }

    private static string Literal(string pattern) => Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal);

    public static string? Header(string[] lines, string name)
    {
        foreach (var line in lines)
        {
            var match = HeaderLine().Match(line);
            if (match.Success && match.Groups[1].Value.Equals(name, StringComparison.OrdinalIgnoreCase))
                return match.Groups[2].Value.Trim();
        }
        return null;
    }

    [GeneratedRegex(@"\$\{(\w+)\}")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^#\s*(\w+):\s*(.*)$")]
    private static partial Regex HeaderLine();
}
