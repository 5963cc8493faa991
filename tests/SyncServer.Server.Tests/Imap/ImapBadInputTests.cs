using System.Text;
using System.Text.RegularExpressions;
using MailKit;
using SyncServer.Server.Tests.Shared;

namespace SyncServer.Server.Tests.Imap;

/// <summary>
/// Issue 4, bad input: 1,000 malformed command lines (seeded, so a failure replays) in the authenticated and the
/// selected state. Each is answered BAD or NO (an overlong line may instead end the connection), the session
/// keeps answering, the server keeps serving and the store is unchanged.
/// </summary>
[NonParallelizable]
public sealed partial class ImapBadInputTests
{
    private const int Lines = 1000;
    private const int LinesPerSession = 50;

    private MailServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await MailServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task A_thousand_malformed_command_lines_are_refused_and_change_nothing()
    {
        using (var client = await _server.ConnectAsync())
        {
            var fuzz = await client.GetFolder(client.PersonalNamespaces[0])!.CreateAsync("Fuzz", true);
            for (var i = 0; i < 3; i++)
                await fuzz!.AppendAsync(new AppendRequest(TestMessages.Simple($"message {i}", "body")) { Flags = i == 0 ? MessageFlags.Flagged : MessageFlags.None });
        }
        var before = await StoreSnapshot.TakeAsync(_server);
        var random = new Random(4);
        var sessions = Enumerable.Range(0, Lines).Select(i => Malformed(i, random)).Chunk(LinesPerSession).ToList();
        await Parallel.ForEachAsync(Enumerable.Range(0, sessions.Count), new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (n, _) => await RunSessionAsync(sessions[n], selected: n % 2 == 1));

        Assert.That(_server.Stderr, Does.Not.Contain("fail:").And.Not.Contain("crit:"));
        Assert.That(await StoreSnapshot.TakeAsync(_server), Is.EqualTo(before), "the store is unchanged");
        using var after = await _server.ConnectAsync(implicitTls: true);
        var folder = await after.GetFolderAsync("Fuzz");
        await folder.OpenAsync(FolderAccess.ReadOnly);
        var summaries = await folder.FetchAsync(0, -1, MessageSummaryItems.Envelope | MessageSummaryItems.Flags);
        Assert.That(summaries.Select(s => s.Envelope!.Subject), Is.EqualTo(new[] { "message 0", "message 1", "message 2" }));
    }

    private sealed record Case(int Index, string Kind, byte[] Bytes);

    /// <summary>One session: log in (and SELECT Fuzz), then each line followed by a NOOP whose OK closes its answer.</summary>
    private async Task RunSessionAsync(Case[] cases, bool selected)
    {
        var client = await OpenAsync(selected);
        try
        {
            foreach (var c in cases)
            {
                var sentinel = $"s{c.Index}";
                await client.SendAsync([.. c.Bytes, .. "\r\n"u8, .. Encoding.ASCII.GetBytes($"{sentinel} NOOP\r\n")]);
                while (true)
                {
                    var line = await client.ReadLineAsync();
                    if (line is null || line.StartsWith("* BYE", StringComparison.Ordinal))
                    {
                        Assert.That(c.Kind, Is.EqualTo("overlong line"), $"case {c.Index} ({c.Kind}): only an overlong line may end the connection");
                        await client.DisposeAsync();
                        client = await OpenAsync(selected);
                        break;
                    }
                    if (line.StartsWith(sentinel + " OK", StringComparison.Ordinal))
                        break;
                    if (!Refusal().IsMatch(line) && !line.StartsWith("* OK", StringComparison.Ordinal))
                        Assert.Fail($"case {c.Index} ({c.Kind}): '{line}' is neither BAD nor NO");
                }
            }
        }
        finally
        {
            await client.DisposeAsync();
        }
    }

    private async Task<RawLineClient> OpenAsync(bool selected)
    {
        var client = await RawLineClient.ConnectAsync(_server.ImapsPort, implicitTls: true);
        await client.ReadLineAsync();
        await client.SendAsync($"a LOGIN {MailServer.User} \"{MailServer.Password}\"\r\n" + (selected ? "b SELECT Fuzz\r\n" : ""));
        var last = selected ? "b OK" : "a OK";
        while (await client.ReadLineAsync() is { } line && !line.StartsWith(last, StringComparison.Ordinal))
        {
            if (line.StartsWith("a NO", StringComparison.Ordinal) || line.StartsWith("b NO", StringComparison.Ordinal))
                Assert.Fail(line);
        }
        return client;
    }

    private static Case Malformed(int i, Random random)
    {
        var tag = $"f{i} ";
        return (i % 10) switch
        {
            0 => new(i, "random bytes", RandomLine(random, random.Next(1, 300))),
            1 => new(i, "random after a tag", [.. Ascii(tag), .. RandomLine(random, random.Next(1, 300))]),
            2 => new(i, "overlong line", Ascii(tag + "NOOP " + new string('a', random.Next(66_000, 200_000)))),
            3 => new(i, "bad literal", Ascii(tag + Pick(random,
                "APPEND Fuzz {999999999}", "APPEND Fuzz (\\Seen) {99999999999999999999999}", "LOGIN {999999999}",
                "APPEND Fuzz {-1}", "APPEND Fuzz {1x}", "SELECT {3+}\r\nFuz BOGUS", "APPEND Fuzz (\\Seen {3+}\r\nabc",
                "APPEND Fuzz BADDATE {3+}\r\nabc", "APPEND Fuzz {0+}\r\n ("))),
            4 => new(i, "NULs", Ascii(tag + Pick(random,
                "SELECT IN\0BOX", "FETCH 1 BODY[\0]", "\0\0\0", "CREATE \"a\0b\"", "STORE 1 +FLAGS (\\Se\0en)", "SEARCH SUBJECT \"\0\""))),
            5 => new(i, "unbalanced parentheses", Ascii(tag + Pick(random,
                "FETCH 1 (FLAGS", "FETCH 1 FLAGS)", "FETCH 1 ((FLAGS)", "SEARCH ((OR SEEN FLAGGED)", "SEARCH NOT (", "STORE 1 +FLAGS (\\Seen",
                "STATUS Fuzz (MESSAGES", "LIST (SUBSCRIBED \"\" *", "FETCH 1 BODY[HEADER.FIELDS (SUBJECT]", "SEARCH " + new string('(', 100)))),
            6 => new(i, "bad sequence set", Ascii(tag + Pick(random,
                "FETCH 0 FLAGS", "FETCH 1:0:3 FLAGS", "FETCH *:*:* FLAGS", "FETCH 4294967296 FLAGS", "FETCH 1,,2 FLAGS", "FETCH -1 FLAGS",
                "FETCH 1: FLAGS", "FETCH :5 FLAGS", "STORE $$ +FLAGS (\\Deleted)", "UID STORE a +FLAGS (\\Deleted)", "COPY 0 INBOX",
                "UID MOVE 1:2:3 INBOX", "FETCH " + string.Join(",", Enumerable.Range(0, 10_500).Select(n => n * 2 + 1)) + " FLAGS"))),
            7 => new(i, "bad arguments", Ascii(tag + Pick(random,
                "FROBNICATE", "SELECT", "CREATE", "RENAME INBOX", "DELETE", "STORE 1 FLAGS", "STORE 1 +FLAGS.NOISY (\\Seen)", "STATUS Fuzz (BOGUS)",
                "DELETE \"unterminated", "CREATE &Jjo", "LOGIN alice x", "AUTHENTICATE PLAIN", "STARTTLS", "ENABLE", "FETCH 1 BODY[9.X]",
                "SEARCH BEFORE 31-Foo-2020", "UID", "UID FROB 1", "APPEND", "COPY 1", "IDLE x", "EXPUNGE 1", "NOOP extra"))),
            8 => new(i, "8-bit and control bytes", [.. Ascii(tag), .. Ascii(Pick(random, "SELECT \"", "CREATE ", "LIST \"\" ")), .. RandomLine(random, random.Next(1, 40), printable: false), (byte)'"', (byte)'\x7f']),
            _ => new(i, "no command", Ascii(Pick(random, "", " ", "*", "+ x", $"f{i}", $"f{i} ", "\"quoted\" NOOP", "a\tNOOP", "a  NOOP", "{5", "}"))),
        };
    }

    /// <summary>Random bytes without CR or LF (the line's end is ours), not ending in '}' (which would announce a literal).</summary>
    private static byte[] RandomLine(Random random, int length, bool printable = false)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        for (var k = 0; k < bytes.Length; k++)
        {
            if (printable)
                bytes[k] = (byte)(0x20 + bytes[k] % 0x5f);
            if (bytes[k] is (byte)'\r' or (byte)'\n')
                bytes[k] = (byte)'x';
        }
        if (bytes[^1] == '}')
            bytes[^1] = (byte)'x';
        return bytes;
    }

    private static string Pick(Random random, params string[] options) => options[random.Next(options.Length)];

    private static byte[] Ascii(string text) => Encoding.Latin1.GetBytes(text);

    [GeneratedRegex(@"^[^ ]+ (BAD|NO)( |$)")]
    private static partial Regex Refusal();
}
