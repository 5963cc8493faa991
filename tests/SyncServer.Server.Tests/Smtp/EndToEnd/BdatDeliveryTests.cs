using System.Text;
using SyncServer.Server.Tests.Shared;

namespace SyncServer.Server.Tests.Smtp.EndToEnd;

/// <summary>CHUNKING end to end: MailKit and swaks send DATA for text mail, so this client sends BDAT itself.</summary>
public sealed class BdatDeliveryTests
{
    [Test]
    public async Task Chunks_are_stored_as_one_message_for_a_local_user()
    {
        var id = Guid.NewGuid().ToString("N");
        var part1 = $"Message-ID: <{id}@client.example>\r\nSubject: chunks\r\n";
        var part2 = "\r\n.a dot that is not stuffed\r\nend\r\n";
        await using var client = await RawLineClient.ConnectAsync(RealServer.Mx);
        await client.SendAsync("EHLO client.example\r\nMAIL FROM:<s@elsewhere.example>\r\nRCPT TO:<bob@example.org>\r\n"
            + $"BDAT {part1.Length}\r\n{part1}BDAT {part2.Length} LAST\r\n{part2}QUIT\r\n");
        var replies = new List<string>();
        while (await client.ReadLineAsync() is { } line)
            replies.Add(line);
        Assert.That(replies[^3..], Is.EqualTo(new[] { $"250 2.0.0 {part1.Length} octets received", "250 2.0.0 Message accepted", "221 2.0.0 Bye" }));

        var stored = (await RealServer.InboxAsync(RealServer.User)).Select(Encoding.UTF8.GetString).Single(m => m.Contains(id));
        Assert.That(stored, Does.EndWith(part1 + part2));
    }
}
