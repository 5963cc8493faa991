using System.Diagnostics;
using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace SyncServer.Bench.Imap;

/// <summary>An IMAP server to measure: IMAPS on host:port, one user, and the process whose memory is reported.</summary>
public sealed record Target(string Name, string Host, int Port, string User, string Password, int Pid);

/// <summary>The workload of issue 4: APPEND, SELECT + FETCH, UID SEARCH, STORE, and many idle IDLE connections.</summary>
public static class ImapBenchmarks
{
    private const string Mailbox = "Bench";
    private const int Appenders = 8;
    private const int Stores = 1000;
    private const int Repeats = 5;

    public static async Task RunAsync(Target target, int messages, int idle, Action<string, double, string> report)
    {
        using (var client = await ConnectAsync(target))
            await client.GetFolder(client.PersonalNamespaces[0])!.CreateAsync(Mailbox, true);

        var elapsed = await Measure.TimeAsync(() => AppendAsync(target, messages));
        report("append", messages / elapsed.TotalSeconds, "msg/s");

        using (var client = await ConnectAsync(target))
        {
            var folder = await client.GetFolderAsync(Mailbox);
            var fetched = 0;
            report("select_fetch_flags_envelope", await Measure.MedianMsAsync(Repeats, async () =>
            {
                await folder.OpenAsync(FolderAccess.ReadOnly);
                fetched = (await folder.FetchAsync(0, -1, MessageSummaryItems.Flags | MessageSummaryItems.Envelope)).Count;
                await folder.CloseAsync();
            }), "ms");
            Measure.Check(target.Name, "FETCH 1:*", fetched, messages);

            await folder.OpenAsync(FolderAccess.ReadWrite);
            var found = 0;
            report("uid_search_header", await Measure.MedianMsAsync(Repeats, async () => found = (await folder.SearchAsync(SearchQuery.SubjectContains("quarterly"))).Count), "ms");
            Measure.Check(target.Name, "SEARCH SUBJECT", found, (messages + 99) / 100);
            report("uid_search_body", await Measure.MedianMsAsync(Repeats, async () => found = (await folder.SearchAsync(SearchQuery.BodyContains("zanzibar"))).Count), "ms");
            Measure.Check(target.Name, "SEARCH BODY", found, (messages + 99) / 100);

            var uids = await folder.SearchAsync(SearchQuery.All);
            elapsed = await Measure.TimeAsync(async () =>
            {
                for (var i = 0; i < Stores; i++)
                    await folder.AddFlagsAsync(uids[i * 7 % uids.Count], MessageFlags.Flagged, silent: true);
            });
            report("store_flags", Stores / elapsed.TotalSeconds, "stores/s");
        }

        var rssBefore = Rss(target.Pid);
        var connections = new List<IdleConnection>();
        try
        {
            elapsed = await Measure.TimeAsync(async () => connections.AddRange(await IdleConnection.OpenManyAsync(target, idle)));
            report("idle_connections_held", connections.Count, "connections");
            report("idle_connections_opened", connections.Count / elapsed.TotalSeconds, "connections/s");
            // The steady state: Dovecot hands each IDLE session to imap-hibernate some seconds after it started IDLE.
            await Task.Delay(TimeSpan.FromSeconds(15));
            var rss = Rss(target.Pid);
            report("rss_with_idle", rss / 1024.0, "MiB");
            report("rss_per_idle_connection", (rss - rssBefore) / (double)Math.Max(1, connections.Count), "KiB");
        }
        finally
        {
            foreach (var connection in connections)
                connection.Dispose();
        }
    }

    private static async Task AppendAsync(Target target, int messages)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, Appenders), async (worker, _) =>
        {
            using var client = await ConnectAsync(target);
            var folder = await client.GetFolderAsync(Mailbox);
            for (var i = worker; i < messages; i += Appenders)
                await folder.AppendAsync(new AppendRequest(Message(i)));
        });
    }

    /// <summary>A 2–3 KB message; one in a hundred has "quarterly" in its subject and "zanzibar" in its body.</summary>
    private static MimeMessage Message(int i)
    {
        var random = new Random(i);
        string[] words = ["alpha", "budget", "meeting", "project", "review", "status", "update", "team", "plan", "report", "draft", "notes"];
        string Words(int n) => string.Join(' ', Enumerable.Range(0, n).Select(_ => words[random.Next(words.Length)]));
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress($"Sender {i % 37}", $"sender{i % 37}@example.org"));
        message.To.Add(new MailboxAddress("Bench", "bench@example.test"));
        message.Subject = $"{Words(4)} {i}" + (i % 100 == 0 ? " quarterly" : "");
        message.MessageId = $"bench-{i}@example.org";
        message.Date = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(i);
        var body = new StringBuilder();
        for (var line = 0; line < 30; line++)
            body.Append(Words(12)).Append('\n');
        if (i % 100 == 0)
            body.Append("meet me in zanzibar\n");
        message.Body = new TextPart("plain") { Text = body.ToString() };
        return message;
    }

    private static async Task<ImapClient> ConnectAsync(Target target)
    {
        var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true, Timeout = 600_000 };
        await client.ConnectAsync(target.Host, target.Port, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync(target.User, target.Password);
        return client;
    }

    /// <summary>Resident memory in KiB of the process and all its descendants (Dovecot runs one process per service).</summary>
    private static long Rss(int pid)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var p))
                continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                if (!children.TryGetValue(parent, out var list))
                    children[parent] = list = [];
                list.Add(p);
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }
        long total = 0;
        var pending = new Stack<int>([pid]);
        while (pending.TryPop(out var p))
        {
            try
            {
                var line = File.ReadLines($"/proc/{p}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                if (line is not null)
                    total += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
            foreach (var child in children.GetValueOrDefault(p) ?? [])
                pending.Push(child);
        }
        return total;
    }

    /// <summary>A bare TLS connection logged in, INBOX selected, in IDLE: as little client memory as possible.</summary>
    private sealed class IdleConnection : IDisposable
    {
        private readonly TcpClient _tcp;
        private readonly SslStream _tls;

        private IdleConnection(TcpClient tcp, SslStream tls) => (_tcp, _tls) = (tcp, tls);

        /// <summary>The connections that reached IDLE; a refused one is reported once on stderr and not counted.</summary>
        public static async Task<List<IdleConnection>> OpenManyAsync(Target target, int count)
        {
            var opened = new IdleConnection?[count];
            var failures = 0;
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            {
                try
                {
                    opened[i] = await OpenAsync(target);
                }
                catch (Exception e) when (e is IOException or SocketException or System.Security.Authentication.AuthenticationException)
                {
                    if (Interlocked.Increment(ref failures) == 1)
                        Console.Error.WriteLine($"{target.Name}: an IDLE connection failed: {e.Message}");
                }
            });
            if (failures > 0)
                Console.Error.WriteLine($"{target.Name}: {failures} of {count} IDLE connections failed");
            return [.. opened.OfType<IdleConnection>()];
        }

        private static async Task<IdleConnection> OpenAsync(Target target)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync(target.Host, target.Port);
            var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
            await tls.AuthenticateAsClientAsync("localhost");
            var connection = new IdleConnection(tcp, tls);
            try
            {
                await connection.ExpectAsync("* OK");
                await tls.WriteAsync(Encoding.ASCII.GetBytes($"a LOGIN \"{target.User}\" \"{target.Password}\"\r\nb SELECT INBOX\r\nc IDLE\r\n"));
                await connection.ExpectAsync("+ ");
            }
            catch
            {
                connection.Dispose();
                throw;
            }
            return connection;
        }

        private async Task ExpectAsync(string start)
        {
            var buffer = new byte[4096];
            var text = new StringBuilder();
            while (!text.ToString().Split("\r\n").Any(l => l.StartsWith(start, StringComparison.Ordinal)))
            {
                var read = await _tls.ReadAsync(buffer);
                if (read == 0)
                    throw new IOException($"closed before '{start}': {text}");
                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
                if (text.ToString().Contains(" NO ", StringComparison.Ordinal) || text.ToString().Contains(" BAD ", StringComparison.Ordinal))
                    throw new IOException(text.ToString());
            }
        }

        public void Dispose()
        {
            _tls.Dispose();
            _tcp.Dispose();
        }
    }
}
