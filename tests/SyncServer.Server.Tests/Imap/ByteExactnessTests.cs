using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;
using SyncServer.Server.Tests.Shared;

namespace SyncServer.Server.Tests.Imap;

/// <summary>
/// Issue 4, byte exactness: each message of <c>Imap/Corpus/</c> (multipart/alternative, nested message/rfc822, 8-bit,
/// malformed MIME), one with NUL bytes and a 50 MB attachment made here, APPENDed and delivered by SMTP. RFC822.SIZE,
/// BODY[] and every BODY[section] (HEADER, TEXT, MIME, numbered parts, those of nested messages) equal the stored
/// bytes sliced at the offsets of a fresh MimeKit parse of them.
/// </summary>
[NonParallelizable]
public sealed class ByteExactnessTests
{
    private MailServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await MailServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    private static IEnumerable<string> Corpus() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Imap", "Corpus"), "*.eml").Select(Path.GetFileNameWithoutExtension).Order()!;

    [TestCaseSource(nameof(Corpus))]
    public async Task Appended_message_is_served_byte_for_byte(string name)
    {
        var original = Load(name);
        var uid = await AppendRawAsync("Corpus", original);
        await AssertServedExactlyAsync("Corpus", uid, original, expectedWhole: original);
    }

    [TestCaseSource(nameof(Corpus))]
    public async Task Delivered_message_is_served_byte_for_byte(string name) => await DeliverAsync(Load(name));

    [Test]
    public async Task Nul_bytes_go_out_as_0x80_and_keep_the_size()
    {
        var original = Encoding.ASCII.GetBytes("From: a@example.org\r\nSubject: nul\r\n\r\nbefore\0after\r\n");
        // Only a literal8 (RFC 3516) may carry NUL into APPEND.
        var uid = await AppendRawAsync("Nul", original, literal8: true);
        var served = original.Select(b => b == 0 ? (byte)0x80 : b).ToArray();
        await AssertServedExactlyAsync("Nul", uid, served, expectedWhole: served);
    }

    [Test]
    public async Task Fifty_megabyte_attachment_is_served_byte_for_byte()
    {
        var bytes = LargeMessage(out _);
        var uid = await AppendRawAsync("Large", bytes);
        await AssertServedExactlyAsync("Large", uid, bytes, expectedWhole: bytes);
    }

    [Test]
    public async Task Fifty_megabyte_attachment_BINARY_and_partials_are_decoded_from_the_stored_part()
    {
        var bytes = LargeMessage(out var data);
        var uid = await AppendRawAsync("LargeBinary", bytes);
        var stored = Sections(bytes).Single(s => s.Section == "2").Octets;

        // BINARY[2] decodes 36 MB once for its length before the first line: generous on a loaded machine.
        await using var client = await RawLineClient.ConnectAsync(_server.ImapsPort, implicitTls: true, readTimeout: TimeSpan.FromMinutes(2));
        await client.ReadLineAsync();
        await client.SendAsync($"a LOGIN {MailServer.User} \"{MailServer.Password}\"\r\nb EXAMINE LargeBinary\r\n" +
            $"c UID FETCH {uid} (BINARY.PEEK[2] BINARY.SIZE[2] BINARY.PEEK[2]<1000000.5000> BODY.PEEK[2]<1000000.5000> BODY.PEEK[2])\r\n");
        var text = new StringBuilder();
        var literals = new List<byte[]>();
        string? line;
        while ((line = await client.ReadLineAsync()) is not null && !line.StartsWith("c ", StringComparison.Ordinal))
        {
            text.Append(line).Append('\n');
            if (System.Text.RegularExpressions.Regex.Match(line, @"~?\{(\d+)\}$") is { Success: true } announced)
                literals.Add(await client.ReadBytesAsync(int.Parse(announced.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
        }
        Assert.That(line, Does.StartWith("c OK"));
        Assert.That(text.ToString(), Does.Contain("BINARY[2] ~{36000000}").And.Contain("BINARY.SIZE[2] 36000000")
            .And.Contain("BINARY[2]<1000000> ~{5000}").And.Contain($"BODY[2]<1000000> {{5000}}").And.Contain($"BODY[2] {{{stored.Length}}}"));
        Assert.That(literals, Has.Count.EqualTo(4));
        Assert.That(literals[0].AsSpan().SequenceEqual(data), Is.True, "BINARY[2]");
        Assert.That(literals[1].AsSpan().SequenceEqual(data.AsSpan(1_000_000, 5000)), Is.True, "BINARY[2]<1000000.5000>");
        Assert.That(literals[2].AsSpan().SequenceEqual(stored.AsSpan(1_000_000, 5000)), Is.True, "BODY[2]<1000000.5000>");
        Assert.That(literals[3].AsSpan().SequenceEqual(stored), Is.True, "BODY[2]");
    }

    /// <summary>A 49 MB message: a text part and 36 MB of random octets as a base64 attachment (part 2).</summary>
    private static byte[] LargeMessage(out byte[] data)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Big", "big@example.org"));
        message.To.Add(new MailboxAddress("Alice", MailServer.User));
        message.Subject = "large attachment";
        data = new byte[36_000_000];
        new Random(50).NextBytes(data);
        message.Body = new Multipart("mixed")
        {
            new TextPart("plain") { Text = "the attachment is large\n" },
            new MimePart("application", "octet-stream")
            {
                Content = new MimeContent(new MemoryStream(data)),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = "large.bin" },
                ContentTransferEncoding = ContentEncoding.Base64,
            },
        };
        var bytes = TestMessages.Bytes(message);
        Assert.That(bytes.Length, Is.InRange(48_000_000, 50_000_000));
        return bytes;
    }

    private static byte[] Load(string name)
    {
        // The files keep LF line ends in git; on the wire and in the store a message has CRLF.
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Imap", "Corpus", name + ".eml"));
        var crlf = new List<byte>(bytes.Length + 100);
        foreach (var b in bytes)
        {
            if (b == '\n' && (crlf.Count == 0 || crlf[^1] != '\r'))
                crlf.Add((byte)'\r');
            crlf.Add(b);
        }
        return [.. crlf];
    }

    /// <summary>APPEND with a LITERAL+ literal of exactly these bytes; returns the UID from APPENDUID.</summary>
    private async Task<uint> AppendRawAsync(string mailbox, byte[] message, bool literal8 = false)
    {
        await using var client = await RawLineClient.ConnectAsync(_server.ImapsPort, implicitTls: true);
        await client.ReadLineAsync();
        await client.SendAsync($"a LOGIN {MailServer.User} \"{MailServer.Password}\"\r\nb CREATE {mailbox}\r\nc APPEND {mailbox} {(literal8 ? $"~{{{message.Length}}}" : $"{{{message.Length}+}}")}\r\n");
        await client.SendAsync([.. message, .. "\r\nd LOGOUT\r\n"u8]);
        string? line;
        while ((line = await client.ReadLineAsync()) is not null && !line.StartsWith("c ", StringComparison.Ordinal))
        {
        }
        Assert.That(line, Does.StartWith("c OK [APPENDUID "));
        return uint.Parse(line!.Split(' ')[4].TrimEnd(']'), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Sends the bytes by SMTP submission to the user, then checks them in INBOX; returns what is stored.</summary>
    private async Task<byte[]> DeliverAsync(byte[] message)
    {
        await using (var smtp = await RawLineClient.ConnectAsync(_server.SubmissionPort))
        {
            await smtp.ReadReplyAsync();
            await smtp.SendAsync("EHLO client.example\r\n");
            await smtp.ReadReplyAsync();
            await smtp.SendAsync("STARTTLS\r\n");
            await smtp.ReadReplyAsync();
            await smtp.StartTlsAsync();
            var plain = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{MailServer.User}\0{MailServer.Password}"));
            await smtp.SendAsync("EHLO client.example\r\n");
            await smtp.ReadReplyAsync();
            await smtp.SendAsync($"AUTH PLAIN {plain}\r\n");
            Assert.That((await smtp.ReadReplyAsync())[^1], Does.StartWith("235"));
            await smtp.SendAsync($"MAIL FROM:<{MailServer.User}>\r\nRCPT TO:<{MailServer.User}>\r\nDATA\r\n");
            Assert.That((await smtp.ReadReplyAsync())[^1], Does.StartWith("250"));
            Assert.That((await smtp.ReadReplyAsync())[^1], Does.StartWith("250"));
            Assert.That((await smtp.ReadReplyAsync())[^1], Does.StartWith("354"));
            await smtp.SendAsync([.. DotStuff(message), .. ".\r\n"u8]);
            Assert.That((await smtp.ReadReplyAsync())[^1], Does.StartWith("250"));
        }
        using var imap = await _server.ConnectAsync(implicitTls: true);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var uid = (await imap.Inbox.SearchAsync(MailKit.Search.SearchQuery.All))[^1];
        using var whole = await imap.Inbox.GetStreamAsync(uid, "");
        var stored = ReadAll(whole);
        await AssertServedExactlyAsync("INBOX", uid.Id, stored, expectedWhole: null);
        return stored;
    }

    /// <summary>
    /// RFC822.SIZE, BODY[] and every section against slices of <paramref name="stored"/> at a fresh parse's offsets.
    /// <paramref name="expectedWhole"/>: what BODY[] must be, when the test knows it byte for byte.
    /// </summary>
    private async Task AssertServedExactlyAsync(string mailbox, uint uid, byte[] stored, byte[]? expectedWhole)
    {
        using var client = await _server.ConnectAsync(implicitTls: true);
        var folder = await client.GetFolderAsync(mailbox);
        await folder.OpenAsync(FolderAccess.ReadOnly);
        var id = new UniqueId(uid);
        var summary = (await folder.FetchAsync([id], MessageSummaryItems.Size)).Single();
        Assert.That(summary.Size, Is.EqualTo(stored.Length), "RFC822.SIZE");
        if (expectedWhole is not null)
        {
            using var whole = await folder.GetStreamAsync(id, "");
            Assert.That(ReadAll(whole).AsSpan().SequenceEqual(expectedWhole), Is.True, "BODY[]");
        }
        foreach (var (section, expected) in Sections(stored))
        {
            using var served = await folder.GetStreamAsync(id, section);
            var actual = ReadAll(served);
            Assert.That(actual.AsSpan().SequenceEqual(expected), Is.True,
                $"BODY[{section}]: {actual.Length} octets served, {expected.Length} expected");
        }
    }

    /// <summary>Every section of RFC 9051 §6.4.5 the message has, with its octets, from MimeKit's offsets.</summary>
    private static List<(string Section, byte[] Octets)> Sections(byte[] stored)
    {
        var offsets = new Dictionary<object, (long Begin, long HeadersEnd, long End)>(ReferenceEqualityComparer.Instance);
        var parser = new MimeParser(new MemoryStream(stored), MimeFormat.Entity);
        parser.MimeEntityEnd += (_, e) => offsets[e.Entity] = (e.BeginOffset, e.HeadersEndOffset, e.EndOffset);
        parser.MimeMessageEnd += (_, e) => offsets[e.Message] = (e.BeginOffset, e.HeadersEndOffset, e.EndOffset);
        var message = parser.ParseMessage();
        byte[] Slice(long begin, long end) => stored[(int)begin..(int)end];

        var sections = new List<(string, byte[])>();
        void AddMessage(MimeMessage inner, string prefix)
        {
            var (begin, headersEnd, end) = offsets[inner];
            sections.Add((prefix + "HEADER", Slice(begin, headersEnd)));
            sections.Add((prefix + "TEXT", Slice(headersEnd, end)));
            if (inner.Body is Multipart multipart)
                AddChildren(multipart, prefix);
            else if (inner.Body is { } body)
            {
                var (_, bodyHeadersEnd, bodyEnd) = offsets[body];
                sections.Add((prefix + "1", Slice(bodyHeadersEnd, bodyEnd)));
            }
        }
        void AddChildren(Multipart multipart, string prefix)
        {
            for (var i = 0; i < multipart.Count; i++)
                AddPart(multipart[i], $"{prefix}{i + 1}");
        }
        void AddPart(MimeEntity entity, string path)
        {
            var (begin, headersEnd, end) = offsets[entity];
            sections.Add((path + ".MIME", Slice(begin, headersEnd)));
            sections.Add((path, Slice(headersEnd, end)));
            if (entity is Multipart multipart)
                AddChildren(multipart, path + ".");
            else if (entity is MessagePart { Message: { } inner })
                AddMessage(inner, path + ".");
        }
        AddMessage(message, "");
        return sections;
    }

    private static byte[] DotStuff(byte[] message)
    {
        var text = Encoding.Latin1.GetString(message);
        if (!text.EndsWith("\r\n", StringComparison.Ordinal))
            text += "\r\n";
        return Encoding.Latin1.GetBytes((text.StartsWith('.') ? "." : "") + text.Replace("\r\n.", "\r\n..", StringComparison.Ordinal));
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
